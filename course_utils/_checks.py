"""Argument checks shared by the public helpers.

Each check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind,
wrong value) with a message that names the argument and says what was expected, so a
learner sees the mistake before any training starts.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def check_real(name: str, value) -> float:
    """A finite real number (bools are refused: ``True`` is not a step size)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_bool(name: str, value) -> bool:
    """``True`` or ``False`` (NumPy's bool too); ``0``, ``1`` and ``"yes"`` are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_int(name: str, value, *, minimum: int = 1) -> int:
    """An integer (not a bool, not a float such as 10.0) that is at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {_describe(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def check_fraction(name: str, value) -> float:
    """A real number strictly between 0 and 1."""
    value = check_real(name, value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    return value


def check_array(name: str, value, *, min_len: int = 1) -> np.ndarray:
    """Numeric, finite array data with at least ``min_len`` samples along axis 0."""
    if value is None:
        raise TypeError(f"{name} must be array-like numeric data, got None")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like numeric data: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a samples axis, got a scalar")
    if len(arr) < min_len:
        raise ValueError(f"{name} must have at least {min_len} sample(s), got {len(arr)}")
    if np.issubdtype(arr.dtype, np.inexact):
        bad = ~np.isfinite(arr)
        if bad.any():
            kinds = []
            if np.isnan(arr).any():
                kinds.append("NaN")
            if np.isinf(arr).any():
                kinds.append("inf")
            raise ValueError(
                f"{name} contains {int(bad.sum())} non-finite value(s) ({'/'.join(kinds)}); "
                "clean or impute the data first (training would only produce a NaN loss)"
            )
    return arr


def check_xy(x_name: str, x, y_name: str, y, *, min_len: int = 1):
    """Two arrays of finite numbers with the same number of samples."""
    x = check_array(x_name, x, min_len=min_len)
    y = check_array(y_name, y, min_len=min_len)
    if len(x) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples, "
            f"got {len(x)} and {len(y)}"
        )
    return x, y


def check_compiled_model(name: str, model):
    """A Keras model on which ``compile()`` has been called."""
    import keras

    if model is None:
        raise TypeError(f"{name} must be a compiled keras.Model, got None")
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a compiled keras.Model, got {_describe(model)}")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(
            f"{name} is not compiled: call {name}.compile(optimizer=..., loss=...) before training"
        )
    return model
