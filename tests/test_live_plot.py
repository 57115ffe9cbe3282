import base64
import sys
import types

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils import get_sin_data, live_plot
from course_utils.live_plot import LivePlot, in_notebook


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


def test_constructible_without_arguments():
    cb = LivePlot()
    assert cb.metrics == ("loss",) and cb.x is None and cb.every_seconds == 1.0


def test_outside_a_notebook_it_records_but_draws_nothing(sine_model, sine):
    assert not in_notebook()  # pytest runs without an IPython kernel
    cb = LivePlot(every_seconds=0)
    history = fit(sine_model, sine, cb)
    assert cb.draws == 0 and cb.seconds_drawing == 0
    assert cb.history.keys() == history.history.keys()
    np.testing.assert_allclose(cb.history["val_loss"], history.history["val_loss"])


def test_in_notebook_is_false_for_a_plain_ipython_shell(monkeypatch):
    fake = types.SimpleNamespace(get_ipython=lambda: types.SimpleNamespace())  # no .kernel
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert not in_notebook()
    fake.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    assert in_notebook()


def test_figure_has_train_and_validation_curves_and_predictions(sine_model, sine):
    (_, _), (vx, vy) = sine
    cb = LivePlot(x=vx, y=vy)
    fit(sine_model, sine, cb, epochs=4)
    fig = cb.figure()
    assert isinstance(fig, Figure)
    loss_ax, pred_ax = fig.axes
    train, val, best = loss_ax.lines
    assert list(train.get_xdata()) == [1, 2, 3, 4]
    np.testing.assert_allclose(val.get_ydata(), cb.history["val_loss"])
    assert best.get_ydata()[0] == min(cb.history["val_loss"])
    assert val.get_linestyle() == "--" and train.get_linestyle() == "-"
    assert val.get_color() != train.get_color(), "the two curves must differ in colour too"
    assert all(float(t).is_integer() for t in loss_ax.get_xticks()), loss_ax.get_xticks()
    (pred,) = pred_ax.lines
    grid = pred.get_xdata()
    assert grid[0] == vx.min() and grid[-1] == pytest.approx(vx.max())
    assert np.all(np.diff(grid) > 0) and len(grid) > len(vx)  # a fine grid, in order
    expected = sine_model.predict(grid.reshape(-1, 1), verbose=0).ravel()
    np.testing.assert_allclose(pred.get_ydata(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(pred_ax.collections[0].get_offsets()[:, 0], vx.ravel())
    assert "epoch 4" in fig._suptitle.get_text()


def test_figure_without_validation_hides_the_dashed_curve(sine_model, sine):
    cb = LivePlot(metrics=["loss", "mse"], logy=True)
    fit(sine_model, sine, cb, epochs=3, validation=False)
    fig = cb.figure()
    assert len(fig.axes) == 2
    for ax in fig.axes:
        train, val, best = ax.lines
        assert train.get_visible() and not val.get_visible() and not best.get_visible()
        assert ax.get_yscale() == "log"


def test_one_display_then_updates_with_constant_text(sine_model, sine, fake_notebook,
                                                     monkeypatch):
    monkeypatch.setattr(live_plot, "MAX_SHARE", 1.0)  # no slow-drawing back-off
    cb = LivePlot(every_seconds=0)
    fit(sine_model, sine, cb, epochs=6)
    kinds = [kind for kind, _ in fake_notebook]
    assert kinds[0] == "display" and set(kinds[1:]) == {"update"}
    assert len(kinds) == cb.draws == 6  # every epoch (no throttle), no extra final draw
    texts = {bundle["text/plain"] for _, bundle in fake_notebook}
    assert texts == {"<LivePlot: loss>"}
    png = base64.b64decode(fake_notebook[-1][1]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert cb.seconds_drawing > 0


def test_slow_drawing_backs_off(sine_model, sine, fake_notebook, monkeypatch):
    monkeypatch.setattr(live_plot, "MAX_SHARE", 1e-6)  # any drawing counts as far too slow
    cb = LivePlot(every_seconds=0)
    fit(sine_model, sine, cb, epochs=6)
    # the first epoch draws; the back-off then skips the rest until the final state
    assert [kind for kind, _ in fake_notebook] == ["display", "update"]
    assert cb.draws == 2


def test_throttle_draws_once_at_the_end_of_a_short_fit(sine_model, sine, fake_notebook):
    cb = LivePlot(every_seconds=3600)
    fit(sine_model, sine, cb, epochs=5)
    assert [kind for kind, _ in fake_notebook] == ["display"]  # only the final state
    assert cb.draws == 1


def test_each_fit_gets_its_own_figure(sine_model, sine, fake_notebook):
    cb = LivePlot(every_seconds=3600)
    fit(sine_model, sine, cb, epochs=2)
    fit(sine_model, sine, cb, epochs=3)
    assert [kind for kind, _ in fake_notebook] == ["display", "display"]
    assert len(cb.history["loss"]) == 3


def test_missing_metric_is_reported_with_what_is_available(sine_model, sine):
    cb = LivePlot(metrics=("accuracy",))
    with pytest.raises(ValueError, match=r"not logged.*available: \['loss', 'mse'\]"):
        fit(sine_model, sine, cb, epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"metrics": ()}, TypeError, "metrics"),
        ({"metrics": None}, TypeError, "metrics"),
        ({"metrics": ("loss", 3)}, TypeError, r"metrics\[1\]"),
        ({"metrics": ("loss", "")}, TypeError, r"metrics\[1\]"),
        ({"metrics": ("val_loss",)}, ValueError, "drawn automatically"),
        ({"metrics": ("loss", "loss")}, ValueError, "repeat"),
        ({"x": np.zeros((5, 1))}, ValueError, "given together"),
        ({"y": np.zeros((5, 1))}, ValueError, "given together"),
        ({"x": np.zeros((5, 1)), "y": np.zeros((4, 1))}, ValueError, "same number"),
        ({"x": np.zeros((5, 2)), "y": np.zeros((5, 1))}, ValueError, "one value per sample"),
        ({"x": np.full((5, 1), np.nan), "y": np.zeros((5, 1))}, ValueError, "NaN"),
        ({"every_seconds": -1}, ValueError, "every_seconds"),
        ({"every_seconds": "1s"}, TypeError, "every_seconds"),
        ({"every_seconds": float("inf")}, ValueError, "every_seconds"),
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


def test_accuracy_panel_marks_the_highest_validation_accuracy(sine):
    import keras

    (tx, ty), (vx, vy) = sine
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    cb = LivePlot(metrics=("loss", "accuracy"))
    model.fit(tx, (ty > 0).astype("int32").ravel(), epochs=6, verbose=0, callbacks=[cb],
              validation_data=(vx, (vy > 0).astype("int32").ravel()))
    acc_ax = cb.figure().axes[1]
    best = acc_ax.lines[2]
    val_acc = cb.history["val_accuracy"]
    assert best.get_ydata()[0] == max(val_acc)
    assert best.get_xdata()[0] == int(np.argmax(val_acc)) + 1
