import base64

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils import get_sin_data, live_plot
from course_utils.live_plot import LivePlot, RedrawSchedule, live_figure
from course_utils.notebook_setup import in_notebook


@pytest.fixture(scope="module")
def sine():
    return get_sin_data(start=0, end=10, step=0.25, noise=0.1, seed=1)


def fit(model, sine, callback, epochs=5, validation=True):
    (tx, ty), (vx, vy) = sine
    return model.fit(tx, ty, epochs=epochs, batch_size=len(tx), verbose=0, callbacks=[callback],
                     validation_data=(vx, vy) if validation else None)


class FakeHandle:
    def __init__(self, log, bundle):
        self.log = log
        log.append(("display", bundle))

    def update(self, bundle, raw=False):
        assert raw
        self.log.append(("update", bundle))


@pytest.fixture
def fake_notebook(monkeypatch):
    """Pretend to run in a Jupyter kernel; record what would be displayed."""
    log = []
    monkeypatch.setattr(live_plot, "in_notebook", lambda: True)
    import IPython.display

    def fake_display(bundle, raw=False, display_id=None):
        assert raw and display_id is True
        return FakeHandle(log, bundle)

    monkeypatch.setattr(IPython.display, "display", fake_display)
    return log


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(live_plot, "_clock", fake)
    return fake


def run_epochs(cb, clock, n, planned, seconds_per_epoch):
    """Drive the callback as fit would, without training: n of `planned` epochs."""
    cb.set_params({"epochs": planned, "steps": 1, "verbose": 0})
    cb.on_train_begin()
    for epoch in range(n):
        clock.now += seconds_per_epoch
        cb.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 1.0 + 0.01 * epoch})
    cb.on_train_end()
    return cb.frames


# ---------------------------------------------------------------- live_figure (pure)


def test_live_figure_draws_train_validation_and_best_epoch():
    history = {"loss": [3.0, 2.0, 1.0, 0.5], "val_loss": [3.5, 2.0, 2.5, 2.6]}
    fig = live_figure(history)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    train, val, best = ax.lines
    assert list(train.get_xdata()) == [1, 2, 3, 4]
    np.testing.assert_allclose(val.get_ydata(), history["val_loss"])
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (2, 2.0)
    assert val.get_linestyle() == "--" and train.get_linestyle() == "-"
    assert val.get_color() != train.get_color(), "the two curves must differ in colour too"
    assert all(float(t).is_integer() for t in ax.get_xticks()), ax.get_xticks()
    assert fig._suptitle.get_text() == "epoch 4 · best val_loss at epoch 2"


def test_live_figure_without_validation_draws_only_the_training_curve():
    fig = live_figure({"loss": [2.0, 1.0], "mse": [2.0, 1.0]}, ["loss", "mse"], logy=True)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        (train,) = ax.lines
        assert train.get_linestyle() == "-" and ax.get_yscale() == "log"
    assert fig._suptitle.get_text() == "epoch 2"


def test_live_figure_marks_the_highest_validation_accuracy():
    fig = live_figure({"loss": [1, 0.5, 0.4], "accuracy": [0.5, 0.7, 0.8],
                       "val_loss": [1, 0.6, 0.7], "val_accuracy": [0.5, 0.9, 0.7]},
                      ("loss", "accuracy"))
    best = fig.axes[1].lines[2]
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (2, 0.9)


def test_live_figure_shows_every_data_point_whatever_the_curve():
    # the first frames' predictions are nearly flat; the data must still all be in view
    x = np.linspace(-4.5, 4.5, 20)
    y = 3 * np.sin(x)
    grid = np.linspace(-4.5, 4.5, 200)
    fig = live_figure({"loss": [1.0]}, points=(x, y), curve=(grid, np.full(200, 0.01)))
    ax = fig.axes[-1]
    (pred,) = ax.lines
    np.testing.assert_array_equal(pred.get_xdata(), grid)
    np.testing.assert_array_equal(ax.collections[0].get_offsets()[:, 1], y)
    low, high = ax.get_ylim()
    assert low <= y.min() and high >= y.max(), (ax.get_ylim(), y.min(), y.max())
    low, high = ax.get_xlim()
    assert low <= x.min() and high >= x.max()


@pytest.mark.parametrize("panels", [("loss",), ("loss", "accuracy")])
def test_live_figure_fixed_margins_hold_every_label(panels):
    """Fixed margins instead of a layout engine: nothing may be cut off or overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from course_utils.notebook_setup import set_plot_defaults

    set_plot_defaults()
    n = 60
    history = {"loss": list(10 * np.exp(-np.arange(n) / 8)), "accuracy": [0.123456] * n,
               "val_loss": list(12 * np.exp(-np.arange(n) / 12)),
               "val_accuracy": list(np.linspace(0.1, 0.95, n))}
    x = np.linspace(-4500, 4500, 20)
    fig = live_figure(history, panels, points=(x, -3000 * np.sin(x)), logy=True)
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for box in boxes:
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, (box, fig.bbox)
        assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, (box, fig.bbox)
    for left, right in zip(boxes, boxes[1:]):
        assert left.x1 < right.x0, (left, right)


def test_live_figure_of_an_empty_history():
    fig = live_figure({}, points=([1.0, 2.0], [3.0, 4.0]))
    assert fig._suptitle.get_text() == "epoch 0" and len(fig.axes) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"history": [1, 2]}, TypeError, "history must be a dict"),
        ({"metrics": ("mse",)}, ValueError, r"\['mse'\] are not in the history"),
        ({"metrics": ("val_loss",)}, ValueError, "drawn automatically"),
        ({"logy": 1}, TypeError, "logy"),
        ({"points": [1, 2, 3]}, TypeError, r"points must be a pair \(x, y\)"),
        ({"points": ([1, 2], [1])}, ValueError, r"points\[0\] and points\[1\]"),
        ({"curve": ([1, 2], [1, 2])}, ValueError, "curve needs points"),
        ({"points": ([1, 2], [1, 2]), "curve": ([1], [np.nan])}, ValueError, r"curve\[1\]"),
    ],
)
def test_live_figure_rejects_bad_arguments(kwargs, error, match):
    kwargs = {"history": {"loss": [1.0]}, **kwargs}
    with pytest.raises(error, match=match):
        live_figure(**kwargs)


# ---------------------------------------------------------------- RedrawSchedule (fake clock)


def test_schedule_short_fit_draws_by_progress():
    # notebook 05's early-stopped run: 59 of 100 planned epochs in about 1.5 s
    clock = FakeClock()
    schedule = RedrawSchedule(epochs=100, interval=1.0, clock=clock)
    for epoch in range(1, 60):
        clock.now += 0.025
        if schedule.due(epoch):
            schedule.drawn(epoch)
    assert schedule.final(59)
    schedule.drawn(59)
    assert schedule.frames == [1, 11, 21, 31, 41, 51, 59]
    assert not schedule.final(59)  # the last epoch is drawn: no second final frame


def test_schedule_slow_epochs_draw_by_time():
    clock = FakeClock()
    schedule = RedrawSchedule(epochs=100, interval=1.0, clock=clock)
    for epoch in range(1, 21):
        clock.now += 0.4
        if schedule.due(epoch):
            schedule.drawn(epoch)
    assert schedule.frames == [1, 4, 7, 10, 13, 16, 19]  # every 1.2 s (< 10 % of 100)


def frames_of(epochs, frame_seconds, n=40, seconds_per_epoch=0.4):
    clock = FakeClock()
    schedule = RedrawSchedule(epochs=epochs, interval=1.0, clock=clock)
    for epoch in range(1, n + 1):
        clock.now += seconds_per_epoch
        if schedule.due(epoch):
            schedule.drawn(epoch, seconds=frame_seconds)
    return schedule.frames


def test_schedule_slow_frames_back_off_the_time_rule_only():
    assert frames_of(1000, 0.1)[:4] == [1, 4, 7, 10]  # 0.1 s frames: every 1.2 s
    # 0.5 s frames: the time rule waits 9 x 0.5 = 4.5 s, i.e. 12 epochs of 0.4 s
    assert frames_of(1000, 0.5)[:4] == [1, 13, 25, 37]
    # ... but 10 % of the epochs still forces a frame: 5 of 50 epochs (2 s)
    assert frames_of(50, 0.5)[:4] == [1, 6, 11, 16]


def test_schedule_without_a_known_epoch_count_draws_by_time():
    clock = FakeClock()
    schedule = RedrawSchedule(epochs=None, interval=1.0, clock=clock)
    for epoch in range(1, 11):
        clock.now += 0.3
        if schedule.due(epoch):
            schedule.drawn(epoch)
    assert schedule.frames == [1, 5, 9]


def test_schedule_interval_zero_draws_every_epoch():
    schedule = RedrawSchedule(epochs=100, interval=0.0, clock=FakeClock())
    for epoch in range(1, 6):
        assert schedule.due(epoch)
        schedule.drawn(epoch)
    assert not schedule.final(0)  # no epoch, nothing to draw


# ---------------------------------------------------------------- LivePlot (the callback)


def test_constructible_without_arguments():
    cb = LivePlot()
    assert cb.metrics == ("loss",) and cb.points is None and cb.interval == 1.0


def test_outside_a_notebook_it_records_but_draws_nothing(sine_model, sine):
    assert not in_notebook()  # pytest runs without an IPython kernel
    cb = LivePlot(interval=0)
    history = fit(sine_model, sine, cb)
    assert cb.draws == 0 and cb.frames == [] and cb.seconds_drawing == 0
    assert cb.history.keys() == history.history.keys()
    np.testing.assert_allclose(cb.history["val_loss"], history.history["val_loss"])


def test_callback_frames_follow_the_schedule(fake_notebook, clock):
    cb = LivePlot()
    assert run_epochs(cb, clock, 59, planned=100, seconds_per_epoch=0.025) == \
        [1, 11, 21, 31, 41, 51, 59]
    kinds = [kind for kind, _ in fake_notebook]
    assert kinds == ["display"] + ["update"] * 6  # one output, updated in place
    assert cb.draws == 7
    assert {bundle["text/plain"] for _, bundle in fake_notebook} == {"<LivePlot: loss>"}
    png = base64.b64decode(fake_notebook[-1][1]["image/png"])
    assert png.startswith(b"\x89PNG")


def test_callback_draws_the_end_once_when_it_falls_on_a_frame(fake_notebook, clock):
    cb = LivePlot()
    assert run_epochs(cb, clock, 5, planned=5, seconds_per_epoch=0.01) == [1, 2, 3, 4, 5]
    assert len(fake_notebook) == 5


def test_callback_final_frame_shows_the_last_epoch(fake_notebook, clock):
    cb = LivePlot()
    run_epochs(cb, clock, 15, planned=100, seconds_per_epoch=0.01)
    assert cb.frames == [1, 11, 15]
    assert cb.figure()._suptitle.get_text().startswith("epoch 15 ")


def test_each_fit_gets_its_own_output(fake_notebook, clock):
    cb = LivePlot()
    run_epochs(cb, clock, 2, planned=2, seconds_per_epoch=0.01)
    run_epochs(cb, clock, 3, planned=3, seconds_per_epoch=0.01)
    kinds = [kind for kind, _ in fake_notebook]
    assert kinds == ["display", "update", "display", "update", "update"]
    assert len(cb.history["loss"]) == 3 and cb.frames == [1, 2, 3]


def test_real_fit_in_a_fake_notebook_draws_first_and_last_epoch(sine_model, sine,
                                                                  fake_notebook):
    cb = LivePlot(interval=3600)
    fit(sine_model, sine, cb, epochs=30)
    assert cb.frames == [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 30]  # 10 % of 30 = 3 epochs
    assert cb.seconds_drawing > 0


def test_figure_has_the_model_predictions_on_a_fine_grid(sine_model, sine):
    (_, _), (vx, vy) = sine
    cb = LivePlot(x=vx, y=vy)
    fit(sine_model, sine, cb, epochs=4)
    fig = cb.figure()
    loss_ax, pred_ax = fig.axes
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), cb.history["val_loss"])
    (pred,) = pred_ax.lines
    grid = pred.get_xdata()
    assert grid[0] == vx.min() and grid[-1] == pytest.approx(vx.max())
    assert np.all(np.diff(grid) > 0) and len(grid) > len(vx)  # a fine grid, in order
    expected = sine_model.predict(grid.reshape(-1, 1), verbose=0).ravel()
    np.testing.assert_allclose(pred.get_ydata(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(pred_ax.collections[0].get_offsets()[:, 0], vx.ravel())
    assert "epoch 4" in fig._suptitle.get_text()


def test_missing_metric_is_reported_with_what_is_available(sine_model, sine):
    cb = LivePlot(metrics=("accuracy",))
    with pytest.raises(ValueError, match=r"not logged.*available: \['loss', 'mse'\]"):
        fit(sine_model, sine, cb, epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"metrics": ()}, ValueError, "metrics must contain at least one"),
        ({"metrics": None}, TypeError, "metrics must be a metric name or a list"),
        ({"metrics": {"loss": 1}}, TypeError, "metrics must be"),
        ({"metrics": ("loss", 3)}, TypeError, r"metrics\[1\]"),
        ({"metrics": ("loss", "")}, TypeError, r"metrics\[1\]"),
        ({"metrics": ("val_loss",)}, ValueError, "drawn automatically"),
        ({"metrics": ("loss", "loss")}, ValueError, "repeat"),
        ({"x": np.zeros((5, 1))}, ValueError, "given together"),
        ({"y": np.zeros((5, 1))}, ValueError, "given together"),
        ({"x": np.zeros((5, 1)), "y": np.zeros((4, 1))}, ValueError, "same number"),
        ({"x": np.zeros((5, 2)), "y": np.zeros((5, 1))}, ValueError, "one value per sample"),
        ({"x": np.full((5, 1), np.nan), "y": np.zeros((5, 1))}, ValueError, "NaN"),
        ({"interval": -1}, ValueError, "interval"),
        ({"interval": "1s"}, TypeError, "interval"),
        ({"interval": float("inf")}, ValueError, "interval"),
        ({"logy": "yes"}, TypeError, "logy"),
    ],
)
def test_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        LivePlot(**kwargs)


def test_accepts_a_metric_name_and_flat_arrays(sine_model, sine):
    cb = LivePlot("mse", x=[3.0, 1.0, 2.0], y=[30.0, 10.0, 20.0])
    assert cb.metrics == ("mse",)
    fit(sine_model, sine, cb, epochs=1)
    (pred,) = cb.figure().axes[-1].lines
    assert pred.get_xdata()[0] == 1.0 and pred.get_xdata()[-1] == 3.0


def test_best_epoch_is_the_highest_for_accuracy_like_metrics():
    assert live_plot.best_epoch([0.5, 0.2, 0.3], "loss") == 2
    assert live_plot.best_epoch([0.5, 0.9, 0.7], "accuracy") == 2
    assert live_plot.best_epoch([0.5, 0.9, 0.7], "sparse_categorical_accuracy") == 2
    assert live_plot.best_epoch([0.5, 0.2, 0.7], "mse") == 2
