"""Small datasets the lessons train on.

``get_sin_data`` is the lecture's sine-curve regression data (introduced in
notebook 01, reused in 02–05).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_fraction, check_int, check_real

MIN_POINTS = 10


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

    Introduced in notebook 01.
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
