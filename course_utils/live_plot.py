"""``LivePlot``: a Keras callback that redraws the training curves while ``fit`` runs.

Introduced in notebook 05 (the lecture's wish: "학습하면서 매번 현재 상태 그래프 출력",
draw the current state during training).

How it stays cheap and tidy:

- It draws into **one** output: the first drawing is shown with
  ``IPython.display.display(..., display_id=True)`` and every later drawing replaces
  it through that display handle (JupyterLab, classic Notebook, VS Code and Colab all
  support this). The stored notebook keeps one image, not one per epoch.
- It redraws at most every ``every_seconds`` of wall time (and once more at the end),
  so a 300-epoch run draws a handful of times, not 300. When one drawing is slow
  (a busy machine), it waits longer, so that drawing takes about 10 % of the time.
- It renders with a stand-alone ``matplotlib.figure.Figure`` (not ``pyplot``), built
  once and updated in place, so no window opens, the notebook's inline backend shows
  nothing twice, and it works under any backend, ``Agg`` included.
- Outside a Jupyter kernel (a script, ``pytest``) it only records the history: nothing
  is drawn or displayed. ``LivePlot.figure()`` draws the current state on demand.
- The text shown beside the image (``text/plain``) never changes. That keeps
  ``pytest --nbval`` stable: it compares the *first* display of a run with the *last*
  one stored in the notebook (images themselves are not compared).
"""

from __future__ import annotations

import base64
import io
import sys
import time
from collections.abc import Sequence

import numpy as np

from ._checks import check_bool, check_real, check_xy
from ._quiet import import_keras_quietly

keras = import_keras_quietly()

HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1")  # substrings of metric names
GRID_POINTS = 200  # where the predictions panel evaluates the model
MAX_SHARE = 0.10  # drawing may take at most this share of the wall time (roughly)


def in_notebook():
    """True inside a Jupyter kernel (JupyterLab, Notebook, Colab, VS Code), else False."""
    ipython = sys.modules.get("IPython")  # never imported by a plain script
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def higher_is_better(metric):
    """True for accuracy-like metrics (the best epoch has the *largest* value), else False."""
    return any(part in metric.lower() for part in HIGHER_IS_BETTER)


def best_epoch(values, metric):
    """The 1-based epoch of the best value: the largest for accuracy-like metrics."""
    values = np.asarray(values, dtype=float)
    return int(np.argmax(values) if higher_is_better(metric) else np.argmin(values)) + 1


def _check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not isinstance(metrics, Sequence) or len(metrics) == 0:
        raise TypeError(
            f"metrics must be a metric name or a non-empty list of names such as "
            f"('loss',), got {metrics!r}"
        )
    for i, m in enumerate(metrics):
        if not isinstance(m, str) or not m:
            raise TypeError(f"metrics[{i}] must be a non-empty string such as 'loss', got {m!r}")
        if m.startswith("val_"):
            raise ValueError(
                f"metrics[{i}] is {m!r}: name the training metric ({m[4:]!r}); its "
                "validation curve is drawn automatically (dashed)"
            )
    if len(set(metrics)) != len(metrics):
        raise ValueError(f"metrics must not repeat a name, got {list(metrics)}")
    return tuple(metrics)


class LivePlot(keras.callbacks.Callback):
    """Redraw the loss curves (and, for 1-D regression, the predictions) during ``fit``.

    ``model.fit(..., callbacks=[LivePlot()])`` draws the training loss (solid) and, when
    ``fit`` has validation data, the validation loss (dashed), updating one figure in
    place at most every ``every_seconds``. Outside a Jupyter kernel it draws nothing.

    Parameters
    ----------
    metrics : str or sequence of str
        Training metrics to draw, one panel each (default ``("loss",)``); the matching
        ``val_<metric>`` is added when present.
    x, y : array-like, optional
        1-D regression points (one input feature, one target), e.g. the training
        data. When given, an extra panel shows them (blue) and the model's current
        predictions (red line, on a fine grid from ``min(x)`` to ``max(x)``).
    every_seconds : float >= 0
        Least wall time between redraws (default 1.0). When a drawing takes longer
        than ``every_seconds / 9``, the wait grows to nine times the drawing time, so
        that drawing stays near 10 % of the training time.
    logy : bool
        Logarithmic y axis for the metric panels.

    Attributes
    ----------
    history : dict
        Every logged value per epoch (like ``History.history``) of the latest ``fit``.
    draws : int
        How many times the figure was drawn during the latest ``fit``.
    seconds_drawing : float
        Wall time spent drawing (and predicting) during the latest ``fit``.

    Introduced in notebook 05.
    """

    def __init__(self, metrics=("loss",), x=None, y=None, *, every_seconds=1.0, logy=False):
        super().__init__()
        self.metrics = _check_metrics(metrics)
        if (x is None) != (y is None):
            raise ValueError("x and y must be given together (the points to predict), or neither")
        if x is not None:
            x, y = check_xy("x", x, "y", y)
            for name, arr in (("x", x), ("y", y)):
                if arr.size != len(arr):
                    raise ValueError(
                        f"{name} must hold one value per sample (1-D regression), "
                        f"got shape {arr.shape}"
                    )
            self._grid = np.linspace(x.min(), x.max(), GRID_POINTS, dtype=np.float32)
            self._grid = self._grid.reshape(-1, *(x.shape[1:] or (1,)))  # (n,) -> (n, 1)
        self.x, self.y = x, y
        self.every_seconds = check_real("every_seconds", every_seconds)
        if self.every_seconds < 0:
            raise ValueError(f"every_seconds must be >= 0, got {self.every_seconds}")
        self.logy = check_bool("logy", logy)
        panels = ", ".join(self.metrics) + (" and predictions" if x is not None else "")
        self._text = f"<LivePlot: {panels}>"  # constant: stored outputs stay stable
        self._reset()

    def _reset(self):
        self.history = {}
        self.draws = 0
        self.seconds_drawing = 0.0
        self._handle = None
        self._last_draw = None
        self._drawn_epochs = 0
        self._active = False
        self._fig = None
        self._legend_done = False
        self._layout_done = False
        self._started = time.perf_counter()
        self._wait = self.every_seconds

    # -- Keras hooks ---------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._reset()
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
        if self._active:
            since = self._started if self._last_draw is None else self._last_draw
            if time.perf_counter() - since >= self._wait:
                self._show()

    def on_train_end(self, logs=None):
        n_epochs = len(self.history.get(self.metrics[0], []))
        if self._active and n_epochs and n_epochs != self._drawn_epochs:
            self._show()  # the final state, whatever the throttle said

    # -- drawing ---------------------------------------------------------------------
    def figure(self):
        """The callback's matplotlib ``Figure``, updated to the current state.

        Works outside a notebook too (e.g. ``LivePlot().figure().savefig(...)`` after
        ``fit`` in a script). The same figure object is reused and updated by every draw.
        """
        if self._fig is None:
            self._build_figure()
        n_epochs = len(self.history.get(self.metrics[0], []))
        epochs = np.arange(1, n_epochs + 1)
        title = f"epoch {n_epochs}"
        for metric, (ax, train_line, val_line, best_dot) in zip(self.metrics, self._panels):
            train_line.set_data(epochs, self.history.get(metric, []))
            val = self.history.get(f"val_{metric}", [])
            val_line.set_data(epochs[:len(val)], val)
            if len(val):
                best = best_epoch(val, metric)
                best_dot.set_data([best], [val[best - 1]])
                if metric == self.metrics[0]:
                    title += f" · best val_{metric} at epoch {best}"
            val_line.set_visible(bool(len(val)))
            best_dot.set_visible(bool(len(val)))
            if not self._legend_done and n_epochs:
                handles = [train_line] + ([val_line, best_dot] if len(val) else [])
                ax.legend(handles=handles)
            ax.relim(visible_only=True)
            ax.autoscale_view()
        if n_epochs:
            self._legend_done = True
        if self._pred_line is not None and self.model is not None:
            y_pred = keras.ops.convert_to_numpy(self.model(self._grid, training=False))
            self._pred_line.set_data(self._grid.ravel(), np.ravel(y_pred))
            self._pred_line.axes.relim()
            self._pred_line.axes.autoscale_view()
        self._title.set_text(title)
        if not self._layout_done and n_epochs:
            # once, with data in place: a layout engine on every draw would double its cost
            self._fig.tight_layout()
            self._layout_done = True
        return self._fig

    def _build_figure(self):
        import matplotlib as mpl
        from matplotlib.figure import Figure

        n_panels = len(self.metrics) + (self.x is not None)
        width, height = mpl.rcParams["figure.figsize"]
        fig = Figure(figsize=(width if n_panels == 1 else min(0.66 * width * n_panels, 2 * width),
                              height))
        axes = fig.subplots(1, n_panels, squeeze=False)[0]
        from matplotlib.ticker import MaxNLocator

        colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        self._panels = []
        for ax, metric in zip(axes, self.metrics):
            # two colours *and* two line styles: the curves stay apart in greyscale too
            (train_line,) = ax.plot([], [], color=colors[0], linestyle="-", linewidth=1.5,
                                    label=f"train {metric}")
            (val_line,) = ax.plot([], [], color=colors[1 % len(colors)], linestyle="--",
                                  linewidth=2, label=f"validation {metric}")
            (best_dot,) = ax.plot([], [], "o", color="k", markersize=5,
                                  label=f"best validation {metric}")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric)
            if self.logy:
                ax.set_yscale("log")
            self._panels.append((ax, train_line, val_line, best_dot))
        self._pred_line = None
        if self.x is not None:
            ax = axes[-1]
            ax.scatter(self.x.ravel(), self.y.ravel(), s=10, label="true")
            (self._pred_line,) = ax.plot([], [], color="r", label="predicted")
            ax.set_xlabel("x")
            ax.set_ylabel("y")
            ax.legend()
        self._title = fig.suptitle("")
        self._fig = fig

    def _show(self):
        start = time.perf_counter()
        fig = self.figure()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        bundle = {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": self._text,
        }
        from IPython.display import display

        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)
        self.draws += 1
        self._drawn_epochs = len(self.history.get(self.metrics[0], []))
        self._last_draw = time.perf_counter()
        cost = self._last_draw - start
        self.seconds_drawing += cost
        # wait longer when drawing is slow, so drawing stays near MAX_SHARE of the time
        self._wait = max(self.every_seconds, cost * (1 - MAX_SHARE) / MAX_SHARE)


