"""The lecture's sine model, built one way for the unit tests and the benchmarks.

``tests/conftest.py`` (the ``sine_model`` fixture) and ``tests/benchmarks/fit_speed.py``
import it, so both train the network notebook 02 teaches.
"""


def build_sine_model(optimizer="SGD", *, seed=0):
    """The lecture's 1-10-10-1 ``tanh`` network, compiled with MSE loss and metric.

    ``optimizer`` as ``model.compile`` takes it: the lecture's ``"SGD"``, or e.g.
    ``keras.optimizers.Adam(learning_rate=0.01)`` (notebook 02's rounds). ``seed`` seeds
    the initial weights (``keras.utils.set_random_seed``); ``None`` leaves the seed alone.
    """
    import keras

    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((1,)),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=optimizer, loss="mse", metrics=["mse"])
    return model
