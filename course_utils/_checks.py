"""Argument checks shared by the public helpers.

Each check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind,
wrong value) with a message that names the argument and says what was expected, so a
learner sees the mistake before any training starts.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

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


def check_str(name: str, value, *, example: str = "'loss'") -> str:
    """A non-empty string, e.g. a metric name."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty string such as {example}, "
                        f"got {_describe(value)}")
    return value


def _one_of(choices) -> str:
    texts = [repr(c) for c in choices]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} or {texts[-1]}"


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def check_choice(name: str, value, choices):
    """One of ``choices`` (``ValueError`` otherwise); returns the matching choice.

    ``True`` and ``False`` count only where a choice is a bool (``True == 1`` in Python,
    but ``verbose=True`` is no verbosity level).
    """
    for choice in choices:
        if _is_bool(value) != _is_bool(choice):
            continue
        try:
            if bool(value == choice):
                return choice
        except (TypeError, ValueError):  # an array compares element-wise
            pass
    raise ValueError(f"{name} must be {_one_of(choices)}, got {_describe(value)}")


def check_sequence(name: str, value, *, what: str = "a list", item=None, min_len: int = 1):
    """A list or tuple (or 1-D NumPy array) of at least ``min_len`` items; returns a list.

    A string, a dict or a single value is refused with ``TypeError`` (``what`` says
    what was expected, e.g. ``"a list of integers such as [16, 32, 64]"``); too few
    items with ``ValueError``. ``item(f"{name}[{i}]", value)``, when given, checks
    (and converts) each item, so a bad item is named by its position.
    """
    array_1d = isinstance(value, np.ndarray) and value.ndim == 1
    if isinstance(value, (str, bytes, Mapping)) or not (isinstance(value, Sequence) or array_1d):
        raise TypeError(f"{name} must be {what}, got {_describe(value)}")
    if len(value) < min_len:
        raise ValueError(
            f"{name} must contain at least {'one item' if min_len == 1 else f'{min_len} items'}"
            f", got {'an empty list' if len(value) == 0 else f'{len(value)}'}"
        )
    if item is None:
        return list(value)
    return [item(f"{name}[{i}]", v) for i, v in enumerate(value)]


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
    import keras  # here, not above: get_sin_data and load_iris check arguments without Keras

    if model is None:
        raise TypeError(f"{name} must be a compiled keras.Model, got None")
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a compiled keras.Model, got {_describe(model)}")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(
            f"{name} is not compiled: call {name}.compile(optimizer=..., loss=...) before training"
        )
    return model
