import numpy as np
import pytest

from course_utils import get_sin_data


def test_lecture_call_shapes_and_values():
    (train_x, train_y), (test_x, test_y) = get_sin_data(start=0, end=10, step=0.1)
    assert train_x.shape == (80, 1) and train_y.shape == (80, 1)
    assert test_x.shape == (20, 1) and test_y.shape == (20, 1)
    assert train_x.dtype == np.float32
    np.testing.assert_allclose(train_y, np.sin(train_x), atol=1e-6)
    np.testing.assert_allclose(test_y, np.sin(test_x), atol=1e-6)
    # every grid point lands in exactly one split
    all_x = np.sort(np.concatenate([train_x, test_x]).ravel())
    np.testing.assert_allclose(all_x, np.arange(100) * 0.1, atol=1e-5)
    assert np.all(np.diff(train_x.ravel()) > 0) and np.all(np.diff(test_x.ravel()) > 0)


def test_split_is_reproducible_and_seed_dependent():
    a = get_sin_data(seed=3)
    b = get_sin_data(seed=3)
    c = get_sin_data(seed=4)
    np.testing.assert_array_equal(a[1][0], b[1][0])
    assert not np.array_equal(a[1][0], c[1][0])


def test_noise_and_test_size():
    (tx, ty), (vx, vy) = get_sin_data(0, 10, 0.1, test_size=0.5, noise=0.3, seed=1)
    assert len(tx) == len(vx) == 50
    residual = ty - np.sin(tx)
    assert 0.15 < residual.std() < 0.45


def test_works_as_keras_input():
    import keras

    (tx, ty), _ = get_sin_data()
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    assert model.predict(tx, verbose=0).shape == ty.shape


@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        (dict(start=10, end=0), ValueError, ["end", "greater than start"]),
        (dict(start=1, end=1), ValueError, ["end", "greater than start"]),
        (dict(step=0), ValueError, ["step", "> 0"]),
        (dict(step=-0.1), ValueError, ["step", "> 0"]),
        (dict(end=0.5, step=0.1), ValueError, ["at least 10"]),
        (dict(start="0"), TypeError, ["start", "real number"]),
        (dict(end=None), TypeError, ["end", "real number"]),
        (dict(step=True), TypeError, ["step", "real number"]),
        (dict(end=float("nan")), ValueError, ["end", "finite"]),
        (dict(start=float("-inf")), ValueError, ["start", "finite"]),
        (dict(test_size=0), ValueError, ["test_size", "between 0 and 1"]),
        (dict(test_size=1.0), ValueError, ["test_size", "between 0 and 1"]),
        (dict(noise=-1), ValueError, ["noise", ">= 0"]),
        (dict(seed=1.5), TypeError, ["seed", "integer"]),
        (dict(seed=-1), ValueError, ["seed", ">= 0"]),
    ],
)
def test_bad_arguments(kwargs, exc, words):
    with pytest.raises(exc) as info:
        get_sin_data(**kwargs)
    for word in words:
        assert word in str(info.value)
