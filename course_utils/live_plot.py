"""``LivePlot``: a Keras callback that redraws the training curves while ``fit`` runs.

Introduced in notebook 05 (the lecture's wish: "학습하면서 매번 현재 상태 그래프 출력",
draw the current state during training).

Three parts, each testable on its own:

- ``live_figure(history, ...)`` draws a history dict (like ``History.history``) into a
  new stand-alone ``matplotlib.figure.Figure`` (not ``pyplot``: no window opens and the
  notebook's inline backend shows nothing twice, under any backend, ``Agg`` included).
  A pure function: no kernel, no model, no clock.
- ``RedrawSchedule`` decides when to draw: at the first epoch's end, then as soon as
  10 % of the epochs *or* ``interval`` seconds have passed since the last frame,
  whichever comes first (and the caller draws once more at the end). So a 1.5 s fit of
  60 epochs shows its course in seven frames, and a long fit draws about once per
  ``interval``. When a frame is slow (a busy machine), the time rule waits longer, so
  drawing stays near 10 % of the time.
- ``LivePlot`` is the thin callback between them: it records the logs, asks the schedule,
  and shows the figure in **one** output, shown first with
  ``IPython.display.display(..., display_id=True)`` and replaced through that display
  handle afterwards (JupyterLab, classic Notebook, VS Code and Colab all support this), so
  the stored notebook keeps one image, not one per frame. Outside a Jupyter kernel (a
  script, ``pytest``) it only records the history; ``LivePlot.figure()`` draws the
  current state on demand. The text beside the image (``text/plain``) never changes,
  which keeps ``pytest --nbval`` stable (images themselves are not compared).
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._checks import check_bool, check_real, check_sequence, check_str, check_xy
from ._quiet import import_keras_quietly
from .notebook_setup import in_notebook

keras = import_keras_quietly()

HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1")  # substrings of metric names
GRID_POINTS = 200  # where the predictions panel evaluates the model
PROGRESS = 0.10  # draw again once this share of the epochs has passed since the last frame
MAX_SHARE = 0.10  # the time rule waits so that drawing takes about this share of the time
# room for tick labels and axis labels around the panels, in inches (at font size 10)
MARGINS = {"left": 0.8, "right": 0.15, "bottom": 0.5, "top": 0.4, "between": 0.85}
_clock = time.perf_counter  # the schedule's clock (tests put a fake one here)


def higher_is_better(metric):
    """True for accuracy-like metrics (the best epoch has the *largest* value), else False."""
    return any(part in metric.lower() for part in HIGHER_IS_BETTER)


def best_epoch(values, metric):
    """The 1-based epoch of the best value: the largest for accuracy-like metrics."""
    values = np.asarray(values, dtype=float)
    return int(np.argmax(values) if higher_is_better(metric) else np.argmin(values)) + 1


def _metric_name(name, value):
    value = check_str(name, value)
    if value.startswith("val_"):
        raise ValueError(
            f"{name} is {value!r}: name the training metric ({value[4:]!r}); its "
            "validation curve is drawn automatically (dashed)"
        )
    return value


def _check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = check_sequence("metrics", metrics, item=_metric_name,
                             what="a metric name or a list of names such as ('loss',)")
    if len(set(metrics)) != len(metrics):
        raise ValueError(f"metrics must not repeat a name, got {metrics}")
    return tuple(metrics)


def _check_points(x, y, names=("x", "y")):
    x, y = check_xy(names[0], x, names[1], y)
    for name, arr in zip(names, (x, y)):
        if arr.size != len(arr):
            raise ValueError(
                f"{name} must hold one value per sample (1-D regression), got shape {arr.shape}"
            )
    return np.ravel(x), np.ravel(y)


def _check_pair(name, pair):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(f"{name} must be a pair (x, y) of arrays, got {type(pair).__name__}")
    return _check_points(*pair, names=(f"{name}[0]", f"{name}[1]"))


def live_figure(history, metrics=("loss",), *, points=None, curve=None, logy=False):
    """Draw a training history into a new ``Figure``: one panel per metric, plus the data.

    Parameters
    ----------
    history : dict of name -> list of float
        Values per epoch, like ``History.history`` (``{"loss": [...], "val_loss": [...]}``).
    metrics : str or sequence of str
        Training metrics to draw, one panel each: train solid, ``val_<metric>`` dashed
        (when present) with a dot on its best epoch.
    points : (x, y), optional
        1-D regression data, drawn as blue dots in an extra panel.
    curve : (x, y), optional
        The model's predictions on a grid, drawn as a red line over ``points``.
    logy : bool
        Logarithmic y axis for the metric panels.

    Returns a stand-alone ``matplotlib.figure.Figure`` (not attached to ``pyplot``).
    """
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict like history.history, got "
                        f"{type(history).__name__}")
    metrics = _check_metrics(metrics)
    missing = [m for m in metrics if m not in history]
    if history and missing:
        raise ValueError(f"metrics {missing} are not in the history; available: "
                         f"{sorted(history)}")
    logy = check_bool("logy", logy)
    if points is not None:
        points = _check_pair("points", points)
    if curve is not None:
        if points is None:
            raise ValueError("curve needs points: the predictions are drawn over the data")
        curve = _check_pair("curve", curve)
    n_epochs = len(history.get(metrics[0], []))
    n_panels = len(metrics) + (points is not None)
    width, height = mpl.rcParams["figure.figsize"]
    width = width if n_panels == 1 else min(0.66 * width * n_panels, 2 * width)
    fig = Figure(figsize=(width, height))
    margins = _margins(width, height, n_panels)
    axes = fig.subplots(1, n_panels, squeeze=False, gridspec_kw=margins)[0]
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    title = f"epoch {n_epochs}"
    epochs = np.arange(1, n_epochs + 1)
    for ax, metric in zip(axes, metrics):
        # two colours *and* two line styles: the curves stay apart in greyscale too
        ax.plot(epochs, history.get(metric, []), color=colors[0], linestyle="-",
                linewidth=1.5, label=f"train {metric}")
        val = list(history.get(f"val_{metric}", []))
        if val:
            best = best_epoch(val, metric)
            ax.plot(epochs[:len(val)], val, color=colors[1 % len(colors)], linestyle="--",
                    linewidth=2, label=f"validation {metric}")
            ax.plot([best], [val[best - 1]], "o", color="k", markersize=5,
                    label=f"best validation {metric}")
            if metric == metrics[0]:
                title += f" · best val_{metric} at epoch {best}"
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        if logy:
            ax.set_yscale("log")
        if n_epochs:
            ax.legend()
    if points is not None:
        ax = axes[-1]
        ax.scatter(*points, s=10, label="true")
        if curve is not None:
            ax.plot(*curve, color="r", label="predicted")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend()
    fig.suptitle(title)
    return fig


def _margins(width, height, n_panels):
    """Fixed margins (``MARGINS``, in inches) as subplot parameters for this figure size.

    Fixed rather than ``tight_layout``: a frame costs about a fifth less (the layout
    engine builds every tick label once more to measure it), and the panels stay still
    from frame to frame.
    """
    scale = mpl.rcParams["font.size"] / 10  # bigger letters, wider margins
    left, right, bottom, top, between = (scale * MARGINS[k] for k in
                                         ("left", "right", "bottom", "top", "between"))
    panel = (width - left - right - (n_panels - 1) * between) / n_panels
    return dict(left=left / width, right=1 - right / width, bottom=bottom / height,
                top=1 - top / height, wspace=between / panel)


class RedrawSchedule:
    """When a live plot draws a frame during a run of ``epochs`` epochs.

    ``due(epoch)`` (``epoch`` counts from 1) is true after the first epoch, then as soon
    as ``PROGRESS`` (10 %) of ``epochs`` or ``interval`` seconds have passed since the
    last frame, whichever comes first; ``final(epoch)`` is true at the end unless that
    epoch is already drawn. ``drawn(epoch, seconds)`` records a frame that took
    ``seconds``: the time rule then waits at least nine times that long, so drawing
    stays near ``MAX_SHARE`` (10 %) of the time. ``epochs=None`` (unknown): time only.
    """

    def __init__(self, epochs, interval, clock=None):
        self.epochs = epochs
        self.interval = interval
        self.clock = clock or _clock
        self.frames = []  # the epochs drawn, in order
        self._last_time = self.clock()
        self._wait = interval

    def due(self, epoch):
        if not self.frames:
            return True
        since = epoch - self.frames[-1]
        if self.epochs and since >= PROGRESS * self.epochs:
            return True
        return since > 0 and self.clock() - self._last_time >= self._wait

    def final(self, epoch):
        return epoch > 0 and (not self.frames or self.frames[-1] != epoch)

    def drawn(self, epoch, seconds=0.0):
        self.frames.append(epoch)
        self._last_time = self.clock()
        self._wait = max(self.interval, seconds * (1 - MAX_SHARE) / MAX_SHARE)


class LivePlot(keras.callbacks.Callback):
    """Redraw the loss curves (and, for 1-D regression, the predictions) during ``fit``.

    ``model.fit(..., callbacks=[LivePlot()])`` draws the training loss (solid) and, when
    ``fit`` has validation data, the validation loss (dashed), updating one figure in
    place: after the first epoch, then every 10 % of the epochs or every ``interval``
    seconds, whichever comes first, and at the end. Outside a Jupyter kernel it draws
    nothing.

    Parameters
    ----------
    metrics : str or sequence of str
        Training metrics to draw, one panel each (default ``("loss",)``); the matching
        ``val_<metric>`` is added when present.
    x, y : array-like, optional
        1-D regression points (one input feature, one target), e.g. the training
        data. When given, an extra panel shows them (blue) and the model's current
        predictions (red line, on a fine grid from ``min(x)`` to ``max(x)``).
    interval : float >= 0
        Most wall time between frames, in seconds (default 1.0), unless 10 % of the
        epochs come first. When a frame takes longer than ``interval / 9``, the wait
        grows to nine times the frame's time, so drawing stays near 10 % of the time.
    logy : bool
        Logarithmic y axis for the metric panels.

    Attributes
    ----------
    history : dict
        Every logged value per epoch (like ``History.history``) of the latest ``fit``.
    frames : list of int
        The epochs at which a frame was drawn during the latest ``fit``.
    draws : int
        How many frames were drawn during the latest ``fit`` (``len(frames)``).
    seconds_drawing : float
        Wall time spent drawing (and predicting) during the latest ``fit``.

    Introduced in notebook 05.
    """

    def __init__(self, metrics=("loss",), x=None, y=None, *, interval=1.0, logy=False):
        super().__init__()
        self.metrics = _check_metrics(metrics)
        if (x is None) != (y is None):
            raise ValueError("x and y must be given together (the points to predict), or neither")
        self.points = None if x is None else _check_points(x, y)
        self.interval = check_real("interval", interval)
        if self.interval < 0:
            raise ValueError(f"interval must be >= 0 seconds, got {self.interval}")
        self.logy = check_bool("logy", logy)
        self._active = False
        panels = ", ".join(self.metrics) + (" and predictions" if x is not None else "")
        self._text = f"<LivePlot: {panels}>"  # constant: stored outputs stay stable
        self._reset()

    def _reset(self, epochs=None):
        self.history = {}
        self.seconds_drawing = 0.0
        self._schedule = RedrawSchedule(epochs, self.interval)
        self._handle = None

    @property
    def frames(self):
        return list(self._schedule.frames)

    @property
    def draws(self):
        return len(self._schedule.frames)

    # -- Keras hooks ---------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._reset(self.params.get("epochs") if self.params else None)
        self._active = in_notebook()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if not self.history:
            missing = [m for m in self.metrics if m not in logs]
            if missing:
                raise ValueError(
                    f"LivePlot metrics {missing} are not logged by fit; available: "
                    f"{sorted(k for k in logs if not k.startswith('val_'))} (add them to "
                    "compile(metrics=...) or change LivePlot(metrics=...))"
                )
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        n_epochs = len(self.history[self.metrics[0]])
        if self._active and self._schedule.due(n_epochs):
            self._show(n_epochs)

    def on_train_end(self, logs=None):
        n_epochs = len(self.history.get(self.metrics[0], []))
        if self._active and self._schedule.final(n_epochs):
            self._show(n_epochs)  # the final state, whatever the schedule said

    # -- drawing ---------------------------------------------------------------------
    def figure(self):
        """A new matplotlib ``Figure`` of the current state (``live_figure``).

        Works outside a notebook too (e.g. ``LivePlot().figure().savefig(...)`` after
        ``fit`` in a script).
        """
        curve = None
        if self.points is not None and self.model is not None:
            x = self.points[0]
            grid = np.linspace(x.min(), x.max(), GRID_POINTS, dtype=np.float32)
            y_pred = keras.ops.convert_to_numpy(self.model(grid.reshape(-1, 1), training=False))
            curve = (grid, np.ravel(y_pred))
        return live_figure(self.history, self.metrics, points=self.points, curve=curve,
                           logy=self.logy)

    def _show(self, epoch):
        start = _clock()
        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png")
        bundle = {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": self._text,
        }
        # IPython is there: we are in a kernel (imported here, as scripts need not have it)
        from IPython.display import display

        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)
        seconds = _clock() - start
        self.seconds_drawing += seconds
        self._schedule.drawn(epoch, seconds)
