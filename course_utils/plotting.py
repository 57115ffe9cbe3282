"""Plots the lessons share: training histories and 1-D predictions.

Train curves are solid, validation curves dashed, one colour per model/run
(the convention of the TensorFlow docs' history plotter). ``plot_history`` comes in
notebook 04.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from ._checks import check_bool, check_compiled_model, check_sequence, check_str, check_xy

SHAPES = "a keras History, its .history dict, or a dict of name -> History"


def _is_history(value):
    return hasattr(value, "history") and isinstance(value.history, Mapping)


def _is_curve(value):
    return isinstance(value, (list, tuple, np.ndarray))


def _history_dict(h, name="history"):
    """``History`` object or its ``.history`` dict -> dict of lists."""
    if _is_history(h):
        h = h.history
    if not isinstance(h, Mapping) or not all(_is_curve(v) for v in h.values()):
        raise TypeError(f"{name} must be a keras History or a dict like history.history, "
                        f"got {type(h).__name__}")
    if not h:
        raise ValueError(f"{name} is empty: did fit() run for at least one epoch?")
    return {str(k): list(v) for k, v in h.items()}


def _runs(history):
    """``history`` as ``{label: history dict}``; the label is ``None`` for a single run."""
    if _is_history(history):
        return {None: _history_dict(history)}
    if not isinstance(history, Mapping):
        hint = ("; to draw consecutive rounds (fit_n_times) as one curve, pass "
                "join_histories(rounds)") if isinstance(history, (list, tuple)) else ""
        raise TypeError(f"history must be {SHAPES}, got {type(history).__name__}{hint}")
    if not history:
        raise ValueError(f"history must not be empty: pass {SHAPES}")
    if all(_is_curve(v) for v in history.values()):  # one run's history.history
        return {None: _history_dict(history)}
    if all(_is_history(v) or isinstance(v, Mapping) for v in history.values()):
        return {str(k): _history_dict(v, f"history[{k!r}]") for k, v in history.items()}
    raise TypeError(
        f"history must be {SHAPES}; this dict mixes lists of values and other things "
        f"(value types: {sorted({type(v).__name__ for v in history.values()})})"
    )


def join_histories(histories):
    """Join consecutive training rounds (e.g. from ``fit_n_times``) into one history dict.

    ``histories`` is a list of ``History`` objects (or ``history.history`` dicts) with
    the same keys; the result has, for each key, the values of every round one after
    another, so epoch numbers run on from round to round:
    ``plot_history(join_histories(histories))`` draws them as one curve.

    Not used directly by a lesson.
    """
    histories = check_sequence("histories", histories,
                               what="a list of keras History objects (one per round)")
    dicts = [_history_dict(h, f"histories[{i}]") for i, h in enumerate(histories)]
    keys = list(dicts[0])
    for i, d in enumerate(dicts[1:], start=1):
        if set(d) != set(keys):
            raise ValueError(
                f"histories[{i}] has keys {sorted(d)}, expected the same keys as "
                f"histories[0]: {sorted(keys)}"
            )
    return {k: [v for d in dicts for v in d[k]] for k in keys}


def plot_history(history, metric="loss", *, ax=None, logy=False, title=None):
    """Plot ``metric`` per epoch: train solid, validation (``val_<metric>``) dashed.

    Parameters
    ----------
    history : History, its ``.history`` dict, or dict of name -> History
        One run (``model.fit``'s return value), or several runs to compare, one colour
        each, labelled by their names: ``{"20 samples": h20, "200 samples": h200}``.
        Consecutive rounds of one model (``fit_n_times``) are one run once joined:
        ``plot_history(join_histories(rounds))``.
    metric : str
        Key to plot, e.g. ``"loss"``, ``"mse"``, ``"accuracy"``.
    ax : matplotlib Axes, optional
    logy : bool
        Logarithmic y axis (losses often span decades).
    title : str, optional

    Returns the Axes. Introduced in notebook 04.
    """
    metric = check_str("metric", metric)
    logy = check_bool("logy", logy)
    runs = _runs(history)
    for label, run in runs.items():
        where = "" if label is None else f" of {label!r}"
        if metric not in run:
            raise ValueError(
                f"metric {metric!r} is not in the history{where}; available: {sorted(run)}"
            )
        if not run[metric]:
            raise ValueError(f"history{where} has no {metric!r} values: did fit() run?")

    if ax is None:
        _, ax = plt.subplots()
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, run) in enumerate(runs.items()):
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


def plot_predictions(model, x, y, *, ax=None, title=None):
    """Scatter the true points (blue) and the model's predictions (red), as in the lecture.

    For 1-D regression such as the sine data. Without ``ax`` it draws a new figure and
    shows it at once; with ``ax`` it only draws into it. Returns the Axes.
    Not used directly by a lesson: ``fit_one_more`` (notebook 02) draws with it.
    """
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
