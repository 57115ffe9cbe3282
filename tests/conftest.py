"""Shared fixtures: a headless plot backend and tiny compiled models."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import course_utils  # noqa: F401  (imports keras quietly first)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def sine_model():
    """The lecture's sine model, modern form, compiled as in the lecture."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((1,)),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="SGD", loss="mse", metrics=["mse"])
    return model
