import math

import numpy as np
import pytest

from course_utils import (
    fast_fit,
    fit_n_times,
    fit_one_more,
    get_sin_data,
    make_dataset,
    steps_per_epoch,
)


@pytest.fixture(scope="module")
def sine():
    return get_sin_data(start=0, end=10, step=0.1)


def weights_of(model):
    return [w.copy() for w in model.get_weights()]


def test_steps_per_epoch():
    assert steps_per_epoch(80, 20) == 4
    assert steps_per_epoch(81, 20) == 5
    assert steps_per_epoch(5, 64) == 1
    with pytest.raises(ValueError, match="batch_size"):
        steps_per_epoch(80, 0)
    with pytest.raises(TypeError, match="n_samples"):
        steps_per_epoch(80.0, 20)


def test_make_dataset_batches_one_epoch_of_every_sample(sine):
    (tx, ty), _ = sine
    ds = make_dataset(tx, ty, batch_size=30, repeat=False)
    batches = [(x.numpy(), y.numpy()) for x, y in ds]
    assert [len(x) for x, _ in batches] == [30, 30, 20]
    xs = np.sort(np.concatenate([x for x, _ in batches]).ravel())
    np.testing.assert_allclose(xs, np.sort(tx.ravel()))
    # a repeating pipeline keeps going past one epoch
    assert len(list(make_dataset(tx, ty, 30).take(7))) == 7


def test_fit_one_more_continues_from_current_weights(sine_model, sine, capsys):
    (tx, ty), (vx, vy) = sine
    before = weights_of(sine_model)
    h1 = fit_one_more(sine_model, tx, ty, vx, vy, epochs=30, plot=False)
    after_first = weights_of(sine_model)
    assert any(not np.allclose(a, b) for a, b in zip(before, after_first))
    h2 = fit_one_more(sine_model, tx, ty, vx, vy, epochs=30, plot=False)
    # a fast round is one long fit epoch: one value, the mean loss over the round's steps
    assert len(h1.history["loss"]) == len(h2.history["loss"]) == 1
    assert h1.params["steps"] == h2.params["steps"] == 30 * 4
    # the second round goes on from the first: its mean loss is below the first's
    assert h2.history["loss"][0] < h1.history["loss"][0]
    assert sine_model.optimizer.iterations.numpy() == 2 * 30 * 4
    assert math.isfinite(h2.test_loss) and h2.elapsed > 0
    out = capsys.readouterr().out
    assert out.count("elapsed : ") == 2


def test_plain_round_keeps_one_value_per_epoch(sine_model, sine):
    (tx, ty), (vx, vy) = sine
    h = fit_one_more(sine_model, tx, ty, vx, vy, epochs=5, plot=False, fast=False)
    assert len(h.history["loss"]) == 5 and h.params["steps"] == 4


def _set_weights_like(model, reference):
    model.set_weights(reference.get_weights())


def test_fast_round_is_the_same_training_as_epoch_by_epoch_fits(sine):
    """Same batches, same steps, same optimizer state: the same weights, to float precision.

    A fast round draws one permutation of the samples per epoch from NumPy's global
    generator; replaying those permutations as one plain ``fit`` per epoch (shuffle=False)
    must give the same model.
    """
    import keras
    from sine import build_sine_model

    from course_utils.training import _fit_round

    (tx, ty), _ = sine
    epochs = 12
    fast = build_sine_model(keras.optimizers.Adam(0.01), seed=5)
    slow = build_sine_model(keras.optimizers.Adam(0.01), seed=6)
    _set_weights_like(slow, fast)
    np.random.seed(123)
    _fit_round(fast, tx, ty, 20, epochs)
    np.random.seed(123)
    order = np.argsort(np.random.random((epochs, len(tx))), axis=1)
    for perm in order:
        slow.fit(tx[perm], ty[perm], batch_size=20, epochs=1, shuffle=False, verbose=0)
    assert int(fast.optimizer.iterations.numpy()) == int(slow.optimizer.iterations.numpy()) == 48
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # every epoch is a permutation: each sample exactly once
    assert all(sorted(perm) == list(range(len(tx))) for perm in order)


def test_fast_round_reaches_the_loss_of_plain_fit(sine):
    """Against the lecture's plain fit (its own shuffles): the same loss after a round.

    Tolerance: from the same weights, after 150 epochs with Adam(0.01), both test losses
    are below a fifth of the untrained one and within a factor of 10 of each other: the
    batch orders differ, and on this curve a descent plateaus and then drops at epochs
    that depend on the order (notebook 02 shows it), so single runs differ by several
    times (measured: up to 7x). The exact check is the replay test above.
    """
    import keras
    from sine import build_sine_model

    (tx, ty), (vx, vy) = sine
    losses = {}
    for fast in (True, False):
        model = build_sine_model(keras.optimizers.Adam(0.01), seed=2)
        h = fit_one_more(model, tx, ty, vx, vy, epochs=150, plot=False, fast=fast)
        losses[fast] = h.test_loss
    start = build_sine_model(keras.optimizers.Adam(0.01), seed=2).evaluate(vx, vy, verbose=0)[0]
    assert losses[True] < start / 5 and losses[False] < start / 5
    assert 0.1 < losses[True] / losses[False] < 10, losses


def test_round_with_a_short_last_batch_keeps_it_every_epoch(sine_model, sine):
    (tx, ty), (vx, vy) = sine
    h = fit_one_more(sine_model, tx[:77], ty[:77], vx, vy, epochs=6, plot=False)
    assert h.params["steps"] == 6 * 4  # 20 + 20 + 20 + 17 per epoch
    assert sine_model.optimizer.iterations.numpy() == 24


def test_model_keeps_its_own_steps_per_execution(sine_model, sine):
    """The fast paths run many steps per call, then give the model its own setting back."""
    (tx, ty), (vx, vy) = sine
    fit_one_more(sine_model, tx, ty, vx, vy, epochs=3, plot=False)
    fast_fit(sine_model, tx, ty, batch_size=20, epochs=2, validation_data=(vx, vy))
    assert sine_model.steps_per_execution == 1
    # the learner's own fit afterwards: 1 step per epoch from a repeating pipeline
    sine_model.fit(make_dataset(tx, ty, 20), epochs=3, steps_per_epoch=1, verbose=0)
    assert sine_model.optimizer.iterations.numpy() == 3 * 4 + 2 * 4 + 3


def test_compiling_again_drops_the_fast_functions(sine_model, sine):
    """A new compile (new optimizer) must be what the next fast round trains with."""
    import keras

    (tx, ty), (vx, vy) = sine
    fit_one_more(sine_model, tx, ty, vx, vy, epochs=2, plot=False)
    new_optimizer = keras.optimizers.Adam(0.01)
    sine_model.compile(optimizer=new_optimizer, loss="mse")
    fit_one_more(sine_model, tx, ty, vx, vy, epochs=2, plot=False)
    assert int(new_optimizer.iterations.numpy()) == 8


def test_fit_one_more_plots_test_points_and_predictions(sine_model, sine):
    import matplotlib.pyplot as plt

    (tx, ty), (vx, vy) = sine
    fit_one_more(sine_model, tx, ty, vx, vy, epochs=2, plot=True)
    ax = plt.gcf().axes[0]
    assert len(ax.collections) == 2  # true points and predictions
    assert ax.collections[1].get_offsets().shape == (len(vx), 2)


def test_fit_n_times_prints_lecture_lines_and_returns_rounds(sine_model, sine, capsys):
    (tx, ty), (vx, vy) = sine
    histories = fit_n_times(sine_model, tx, ty, vx, vy, 3, epochs=5, plot=False)
    assert len(histories) == 3
    assert all(h.params["steps"] == 5 * 4 for h in histories)
    out = capsys.readouterr().out
    assert "0 times fitting" in out and "2 times fitting" in out and "3 times" not in out


def test_lecture_code_runs_unchanged(sine, capsys):
    """The lecture's own calls, positional arguments and all (fewer epochs for speed)."""
    import keras
    from keras.layers import Dense

    (train_x, train_y), (test_x, test_y) = get_sin_data(start=0, end=10, step=0.1)
    with pytest.warns(UserWarning, match="input_shape"):
        model = keras.Sequential()
        model.add(Dense(10, activation="tanh", input_shape=(1,)))
    model.add(Dense(10, activation="tanh"))
    model.add(Dense(1))
    model.compile(optimizer="SGD", loss="mse", metrics=["mse"])
    fit_one_more(model, train_x, train_y, test_x, test_y, 20, epochs=3)
    histories = fit_n_times(model, train_x, train_y, test_x, test_y, 2, epochs=3)
    assert len(histories) == 2


class Boom(Exception):
    pass


@pytest.fixture
def no_training(monkeypatch, sine_model):
    """Any call to fit means validation came too late."""

    def fail(*args, **kwargs):
        raise Boom("fit was called before the arguments were validated")

    monkeypatch.setattr(sine_model, "fit", fail)
    return sine_model


def _bad(x):
    x = np.array(x, dtype=np.float32, copy=True)
    return x


@pytest.mark.parametrize(
    "change, exc, words",
    [
        (dict(model=None), TypeError, ["model", "None"]),
        (dict(model="model"), TypeError, ["model", "keras.Model"]),
        (dict(batch_size=0), ValueError, ["batch_size", ">= 1"]),
        (dict(batch_size=-5), ValueError, ["batch_size", ">= 1"]),
        (dict(batch_size=2.5), TypeError, ["batch_size", "integer"]),
        (dict(epochs=0), ValueError, ["epochs", ">= 1"]),
        (dict(train_y="mismatch"), ValueError, ["train_x", "train_y", "same number"]),
        (dict(train_x="nan"), ValueError, ["train_x", "NaN"]),
        (dict(test_y="inf"), ValueError, ["test_y", "inf"]),
        (dict(train_x="text"), TypeError, ["train_x", "numbers"]),
        (dict(test_x=None), TypeError, ["test_x", "None"]),
        (dict(verbose=3), ValueError, ["verbose"]),
        (dict(plot="yes"), TypeError, ["plot"]),
        (dict(fast=1), TypeError, ["fast", "True or False"]),
    ],
)
def test_fit_one_more_rejects_bad_input_before_training(no_training, sine, change, exc, words):
    (tx, ty), (vx, vy) = sine
    args = dict(model=no_training, train_x=tx, train_y=ty, test_x=vx, test_y=vy)
    kwargs = {}
    for key, value in change.items():
        if value == "mismatch":
            args[key] = args[key][:-3]
        elif value == "nan":
            args[key] = _bad(args[key]); args[key][5, 0] = np.nan  # noqa: E702
        elif value == "inf":
            args[key] = _bad(args[key]); args[key][0, 0] = np.inf  # noqa: E702
        elif value == "text":
            args[key] = np.array(["a"] * len(args[key]))
        elif key in args:
            args[key] = value
        else:
            kwargs[key] = value
    with pytest.raises(exc) as info:
        fit_one_more(*args.values(), **kwargs)
    for word in words:
        assert word in str(info.value)


def test_uncompiled_model_is_rejected(sine):
    import keras

    (tx, ty), (vx, vy) = sine
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"model is not compiled: call model\.compile"):
        fit_one_more(model, tx, ty, vx, vy)


@pytest.mark.parametrize(
    "n, exc", [(0, ValueError), (-1, ValueError), (2.0, TypeError), ("3", TypeError),
               (True, TypeError), (None, TypeError)]
)
def test_fit_n_times_rejects_bad_n(no_training, sine, n, exc):
    (tx, ty), (vx, vy) = sine
    with pytest.raises(exc, match=r"\bn must be an integer >= 1"):
        fit_n_times(no_training, tx, ty, vx, vy, n)


def test_fit_n_times_rejects_bad_data_before_the_first_round(no_training, sine, capsys):
    (tx, ty), (vx, vy) = sine
    with pytest.raises(ValueError, match="test_x and test_y"):
        fit_n_times(no_training, tx, ty, vx, vy[:4], 2)
    assert "times fitting" not in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, exc, words", [
    ({"plot": "no"}, TypeError, "plot must be True or False"),
    ({"fast": 0}, TypeError, "fast must be True or False"),
    ({"verbose": 5}, ValueError, "verbose must be 0, 1 or 2"),
    ({"verbose": False}, ValueError, "verbose must be 0, 1 or 2"),
    ({"epoch": 10}, TypeError, "unexpected keyword argument.*epoch"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"epochs": 2.5}, TypeError, "epochs"),
])
def test_fit_n_times_checks_every_argument_before_printing(no_training, sine, capsys, kwargs,
                                                            exc, words):
    """Including those it passes on to fit_one_more (issue 18.3)."""
    (tx, ty), (vx, vy) = sine
    with pytest.raises(exc, match=words):
        fit_n_times(no_training, tx, ty, vx, vy, 2, **kwargs)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name, value", [("shuffle", "no"), ("shuffle", 0), ("repeat", None),
                                         ("repeat", "False")])
def test_make_dataset_rejects_non_booleans(sine, name, value):
    (tx, ty), _ = sine
    with pytest.raises(TypeError, match=f"{name} must be True or False"):
        make_dataset(tx, ty, 20, **{name: value})


def test_make_dataset_without_shuffle_keeps_the_order(sine):
    (tx, ty), _ = sine
    ds = make_dataset(tx, ty, 30, shuffle=False, repeat=False)
    xs = np.concatenate([x.numpy() for x, _ in ds])
    np.testing.assert_array_equal(xs, tx.astype(np.float32))


def test_fast_fit_trains_and_validates_like_fit(sine):
    import keras

    (tx, ty), (vx, vy) = sine
    losses = {}
    for name in ("plain", "fast"):
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(10, activation="tanh"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        args = dict(batch_size=20, epochs=30, validation_data=(vx, vy), verbose=0)
        if name == "plain":
            history = model.fit(tx, ty, **args)
        else:
            history = fast_fit(model, tx, ty, **args)
        assert sorted(history.history) == ["loss", "val_loss"]
        assert len(history.history["val_loss"]) == 30
        losses[name] = history.history["val_loss"]
    # different shuffles, same training: both fall by the same order of magnitude
    for val_loss in losses.values():
        assert val_loss[-1] < val_loss[0] / 2
    assert 0.5 < losses["fast"][-1] / losses["plain"][-1] < 2


@pytest.mark.parametrize("kwargs, exc, words", [
    ({"validation_data": "val"}, TypeError, "validation_data"),
    ({"validation_data": (np.zeros((3, 1)), np.zeros(4))}, ValueError, "validation_data"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"callbacks": "early"}, TypeError, "callbacks"),
    ({"verbose": True}, ValueError, "verbose"),
])
def test_fast_fit_rejects_bad_input_before_training(no_training, sine, kwargs, exc, words):
    (tx, ty), _ = sine
    with pytest.raises(exc, match=words):
        fast_fit(no_training, tx, ty, **kwargs)


def test_keras_trees_go_through_optree_on_torch_only(sine_model, sine):
    """PyTorch: the helpers switch keras.tree to optree (half a step's time), same results."""
    import keras
    from keras.src.tree import tree_api

    (tx, ty), (vx, vy) = sine
    fit_one_more(sine_model, tx, ty, vx, vy, epochs=2, plot=False)
    name = tree_api.tree_impl.__name__.rsplit(".", 1)[-1]
    if keras.backend.backend() == "torch":
        assert name == "optree_impl"
        # Keras' tracked containers are still nested structures, not leaves
        from keras.src.utils.tracking import TrackedDict, TrackedList

        assert len(keras.tree.flatten(TrackedList([1, [2, 3]]))) == 3
        assert keras.tree.flatten(TrackedDict({"b": 1, "a": 2})) == [2, 1]
    else:
        assert name != "torchtree_impl"
