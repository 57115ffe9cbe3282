"""Plots the lessons share: training histories and 1-D predictions.

Train curves are solid, validation curves dashed, one colour per model/run
(the convention of the TensorFlow docs' history plotter). ``plot_history`` comes in
notebook 04.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._checks import check_xy


def _history_dict(h, name="history"):
    """``History`` object or its ``.history`` dict -> dict of lists."""
    if hasattr(h, "history") and isinstance(h.history, Mapping):
        h = h.history
    if not isinstance(h, Mapping):
        raise TypeError(
            f"{name} must be a keras History or a dict like history.history, "
            f"got {type(h).__name__}"
        )
    if not h:
        raise ValueError(f"{name} is empty: did fit() run for at least one epoch?")
    return {str(k): list(v) for k, v in h.items()}


def join_histories(histories):
    """Join consecutive training rounds (e.g. from ``fit_n_times``) into one history dict.

    ``histories`` is a sequence of ``History`` objects (or ``history.history`` dicts)
    with the same keys; the result has, for each key, the values of every round one
    after another, so epoch numbers run on from round to round.

    Not used directly by a lesson (``plot_history(histories, join=True)`` calls it).
    """
    if isinstance(histories, (str, bytes, Mapping)) or not isinstance(histories, Sequence):
        raise TypeError(
            f"histories must be a list of keras History objects, got {type(histories).__name__}"
        )
    if len(histories) == 0:
        raise ValueError("histories must contain at least one History, got an empty list")
    dicts = [_history_dict(h, f"histories[{i}]") for i, h in enumerate(histories)]
    keys = list(dicts[0])
    for i, d in enumerate(dicts[1:], start=1):
        if set(d) != set(keys):
            raise ValueError(
                f"histories[{i}] has keys {sorted(d)}, expected the same keys as "
                f"histories[0]: {sorted(keys)}"
            )
    return {k: [v for d in dicts for v in d[k]] for k in keys}


def plot_history(histories, metric="loss", *, join=False, labels=None, ax=None, logy=False,
                 title=None):
    """Plot ``metric`` per epoch: train solid, validation (``val_<metric>``) dashed.

    Parameters
    ----------
    histories : History, dict, list of them, or dict of name -> History
        One run; several runs to compare (one colour each; a dict gives their labels);
        or, with ``join=True``, consecutive rounds of one model (``fit_n_times``).
    metric : str
        Key to plot, e.g. ``"loss"``, ``"mse"``, ``"accuracy"``.
    join : bool
        Treat a list as consecutive rounds and draw one continuous curve.
    labels : list of str, optional
        Names of the runs (default: ``run 1``, ``run 2``, ... or the dict's keys).
    ax : matplotlib Axes, optional
    logy : bool
        Logarithmic y axis (losses often span decades).
    title : str, optional

    Returns the Axes. Introduced in notebook 04.
    """
    import matplotlib.pyplot as plt

    if not isinstance(metric, str) or not metric:
        raise TypeError(f"metric must be a non-empty string such as 'loss', got {metric!r}")
    if isinstance(histories, Mapping) and not _looks_like_history_dict(histories):
        if labels is not None:
            raise ValueError("labels must be None when histories is a dict of name -> History")
        labels = [str(k) for k in histories]
        runs = [_history_dict(h, f"histories[{k!r}]") for k, h in histories.items()]
    elif join:
        runs = [join_histories(histories)]
    elif isinstance(histories, Sequence) and not isinstance(histories, (str, bytes)):
        if len(histories) == 0:
            raise ValueError("histories must contain at least one History, got an empty list")
        runs = [_history_dict(h, f"histories[{i}]") for i, h in enumerate(histories)]
    else:
        runs = [_history_dict(histories, "histories")]
    if labels is None:
        labels = [None] if len(runs) == 1 else [f"run {i + 1}" for i in range(len(runs))]
    if len(labels) != len(runs):
        raise ValueError(f"labels must have one name per run ({len(runs)}), got {len(labels)}")
    for label, run in zip(labels, runs):
        if metric not in run:
            where = "" if label is None else f" of {label}"
            raise ValueError(
                f"metric {metric!r} is not in the history{where}; available: {sorted(run)}"
            )

    if ax is None:
        _, ax = plt.subplots()
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, run) in enumerate(zip(labels, runs)):
        color = colors[i % len(colors)]
        epochs = np.arange(1, len(run[metric]) + 1)
        prefix = "" if label is None else f"{label} "
        ax.plot(epochs, run[metric], color=color, linestyle="-", label=f"{prefix}train {metric}")
        val_key = f"val_{metric}"
        if val_key in run:
            ax.plot(epochs, run[val_key], color=color, linestyle="--",
                    label=f"{prefix}validation {metric}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def _looks_like_history_dict(d):
    return bool(d) and all(isinstance(v, (list, tuple, np.ndarray)) for v in d.values())


def plot_predictions(model, x, y, *, ax=None, title=None):
    """Scatter the true points (blue) and the model's predictions (red), as in the lecture.

    For 1-D regression such as the sine data. Without ``ax`` it draws a new figure and
    shows it at once; with ``ax`` it only draws into it. Returns the Axes.
    Not used directly by a lesson: ``fit_one_more`` (notebook 02) draws with it.
    """
    import matplotlib.pyplot as plt

    from ._checks import check_compiled_model

    if model is None or not hasattr(model, "predict"):
        check_compiled_model("model", model)
    x, y = check_xy("x", x, "y", y)
    y_pred = np.asarray(model.predict(x, batch_size=len(x), verbose=0))
    created = ax is None
    if created:
        _, ax = plt.subplots()
    ax.scatter(np.ravel(x), np.ravel(y), s=12, label="true")
    ax.scatter(np.ravel(x), np.ravel(y_pred), s=12, color="r", label="predicted")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title)
    ax.legend()
    if created:  # inside fit_n_times each round's figure appears right after its output
        plt.show()
    return ax
