import numpy as np
import pytest

from course_utils import join_histories, plot_history, plot_predictions


class FakeHistory:
    """Stands in for keras.callbacks.History: only ``.history`` is read."""

    def __init__(self, **curves):
        self.history = {k: list(v) for k, v in curves.items()}


def lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_one_history_train_solid_validation_dashed():
    h = FakeHistory(loss=[3, 2, 1], val_loss=[3.5, 2.5, 2.0])
    ax = plot_history(h)
    found = lines(ax)
    assert found["train loss"].get_linestyle() == "-"
    assert found["validation loss"].get_linestyle() == "--"
    assert found["train loss"].get_color() == found["validation loss"].get_color()
    np.testing.assert_array_equal(found["train loss"].get_xdata(), [1, 2, 3])


def test_a_history_dict_is_one_run():
    found = lines(plot_history({"loss": [3, 2, 1], "val_loss": [3.5, 2.5, 2.0]}))
    assert set(found) == {"train loss", "validation loss"}


def test_dict_of_histories_one_colour_each_labelled_by_name():
    runs = {"SGD": FakeHistory(loss=[2, 1]), "Adam": FakeHistory(loss=[2, 0.5], val_loss=[2, 1])}
    found = lines(plot_history(runs))
    assert set(found) == {"SGD train loss", "Adam train loss", "Adam validation loss"}
    assert found["SGD train loss"].get_color() != found["Adam train loss"].get_color()
    assert found["Adam train loss"].get_color() == found["Adam validation loss"].get_color()


def test_joined_rounds_form_one_continuous_curve():
    rounds = [FakeHistory(loss=[4, 3], mse=[4, 3]), FakeHistory(loss=[2, 1], mse=[2, 1])]
    joined = join_histories(rounds)
    assert joined == {"loss": [4, 3, 2, 1], "mse": [4, 3, 2, 1]}
    found = lines(plot_history(joined, metric="mse", logy=True))
    np.testing.assert_array_equal(found["train mse"].get_xdata(), [1, 2, 3, 4])
    assert found["train mse"].axes.get_yscale() == "log"


def test_real_history_object(sine_model):
    from course_utils import get_sin_data

    (tx, ty), (vx, vy) = get_sin_data()
    h = sine_model.fit(tx, ty, epochs=3, verbose=0, validation_data=(vx, vy))
    assert set(lines(plot_history(h))) == {"train loss", "validation loss"}


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: plot_history(None), TypeError, ["history must be", "History"]),
        (lambda: plot_history({}), ValueError, ["history must not be empty"]),
        (lambda: plot_history([FakeHistory(loss=[1])] * 2), TypeError,
         ["history must be", "got list", "join_histories"]),
        (lambda: plot_history({"a": FakeHistory(loss=[1]), "b": [1, 2]}), TypeError,
         ["history must be", "mixes"]),
        (lambda: plot_history({"a": FakeHistory(loss=[1]), "b": {}}), ValueError,
         ["history['b'] is empty"]),
        (lambda: plot_history(FakeHistory(loss=[])), ValueError, ["no 'loss' values"]),
        (lambda: plot_history(FakeHistory(loss=[1]), metric="accuracy"), ValueError,
         ["accuracy", "available", "loss"]),
        (lambda: plot_history({"a": FakeHistory(loss=[1])}, metric="mse"), ValueError,
         ["of 'a'", "available"]),
        (lambda: plot_history(FakeHistory(loss=[1]), metric=3), TypeError, ["metric"]),
        (lambda: plot_history(FakeHistory(loss=[1]), logy="yes"), TypeError, ["logy"]),
        (lambda: plot_history(FakeHistory()), ValueError, ["empty"]),
        (lambda: join_histories([]), ValueError, ["histories", "at least one"]),
        (lambda: join_histories(FakeHistory(loss=[1])), TypeError, ["histories", "list"]),
        (lambda: join_histories([FakeHistory(loss=[1]), 3]), TypeError, ["histories[1]"]),
        (lambda: join_histories([FakeHistory(loss=[1]), FakeHistory(mse=[1])]), ValueError,
         ["histories[1]", "same keys"]),
    ],
)
def test_bad_arguments(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_join_is_no_longer_an_argument():
    """One shape per meaning: consecutive rounds are joined by join_histories, not a flag."""
    with pytest.raises(TypeError, match="join"):
        plot_history(FakeHistory(loss=[1]), join=True)


def test_plot_predictions(sine_model):
    import matplotlib.pyplot as plt

    x = np.linspace(0, 3, 12, dtype="float32").reshape(-1, 1)
    y = np.sin(x)
    _, ax = plt.subplots()
    plot_predictions(sine_model, x, y, ax=ax)
    assert [c.get_label() for c in ax.collections] == ["true", "predicted"]
    with pytest.raises(ValueError, match="x and y"):
        plot_predictions(sine_model, x, y[:5])
    with pytest.raises(TypeError, match="model"):
        plot_predictions(None, x, y)
