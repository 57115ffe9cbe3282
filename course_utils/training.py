"""Training helpers with the lecture's names: ``fit_one_more`` and ``fit_n_times``.

Introduced in notebook 02 ("추가학습", extra-epoch fitting). Both keep training from the
model's *current* weights, exactly like calling ``model.fit`` again.

Why they are faster than the lecture's ``model.fit(train_x, train_y, epochs=1000,
batch_size=20)``: what is fast depends on the Keras backend (``fast_fit``). On
TensorFlow, ``fit`` on NumPy arrays builds a fresh input iterator for every epoch; on
the sine data an epoch is only four steps, so that set-up costs several times more than
the training itself. There the helpers build one shuffled, batched, *repeating*
``tf.data`` pipeline per call and tell ``fit`` how many steps make an epoch, so the
iterator lives across epochs. On JAX and PyTorch the plain array ``fit`` is already
the fast path (a ``tf.data`` pipeline would only add a conversion per batch). The maths
is the same either way (same batches per epoch, reshuffled every epoch).
``tests/benchmarks/fit_speed.py`` measures every path on every installed backend.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ._checks import check_bool, check_compiled_model, check_int, check_xy

LECTURE_EPOCHS = 1000


def steps_per_epoch(n_samples, batch_size):
    """Number of batches (gradient steps) in one epoch: ``ceil(n_samples / batch_size)``.

    Introduced in notebook 03.
    """
    n_samples = check_int("n_samples", n_samples)
    batch_size = check_int("batch_size", batch_size)
    return math.ceil(n_samples / batch_size)


def make_dataset(x, y, batch_size=20, *, shuffle=True, repeat=True, seed=None):
    """A ``tf.data`` input pipeline, built once: shuffle each epoch, batch, repeat.

    Use it with ``model.fit(ds, epochs=E, steps_per_epoch=steps_per_epoch(len(x), batch_size))``.
    Keras accepts a ``tf.data.Dataset`` on every backend (TensorFlow, JAX, PyTorch).

    Parameters
    ----------
    x, y : array-like
        Inputs and targets with the same number of samples; finite numbers only.
    batch_size : int >= 1
    shuffle : bool
        Reshuffle the samples at the start of every epoch (what ``fit`` does by default).
    repeat : bool
        Repeat forever, so one iterator serves every epoch (pass ``steps_per_epoch``).
    seed : int or None
        Shuffle seed; ``None`` follows the global seed set by ``keras.utils.set_random_seed``.

    Introduced in notebook 03.
    """
    x, y = check_xy("x", x, "y", y)
    batch_size = check_int("batch_size", batch_size)
    if seed is not None:
        seed = check_int("seed", seed, minimum=0)
    from ._quiet import import_keras_quietly

    import_keras_quietly()  # imports TensorFlow too, its start-up logging silenced
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((_as_float(x), _as_float(y)))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if repeat:
        ds = ds.repeat()
    return ds.prefetch(2)


def _as_float(a):
    return a.astype(np.float32) if np.issubdtype(a.dtype, np.floating) or a.dtype == bool else a


def fast_fit(model, x, y, *, batch_size=32, epochs=1, validation_data=None, callbacks=None,
             verbose=0):
    """``model.fit(x, y, ...)`` with the same arguments, through the fastest input path.

    The same training as ``model.fit(x, y, batch_size=..., epochs=..., validation_data=...,
    callbacks=..., verbose=...)`` (same batches per epoch, reshuffled every epoch; the
    validation loss after each epoch), with less per-epoch overhead where the backend
    has it. TensorFlow: ``fit`` on arrays rebuilds its input iterator every epoch, which
    costs more than a whole epoch of a small model; here the samples go through a
    repeating ``tf.data`` pipeline built once (``make_dataset``) with ``steps_per_epoch``.
    JAX and PyTorch: the plain ``fit`` on arrays, already the fast path there.

    Parameters
    ----------
    model : compiled keras.Model
    x, y : array-like
        Training inputs and targets (finite numbers, same number of samples).
    batch_size : int >= 1
    epochs : int >= 1
    validation_data : tuple (val_x, val_y) or None
        Evaluated after every epoch, as ``fit`` does (``val_loss`` … in the history).
    callbacks : list of keras.callbacks.Callback or None
    verbose : 0, 1 or 2

    Returns
    -------
    keras.callbacks.History, as ``model.fit`` returns it.
    """
    check_compiled_model("model", model)
    x, y = check_xy("x", x, "y", y)
    batch_size = check_int("batch_size", batch_size)
    epochs = check_int("epochs", epochs)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("validation_data must be a tuple (val_x, val_y) of arrays, got "
                            f"{type(validation_data).__name__}")
        validation_data = check_xy("validation_data[0]", validation_data[0],
                                   "validation_data[1]", validation_data[1])
    if callbacks is not None and not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list of Keras callbacks, got "
                        f"{type(callbacks).__name__}")
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    return _fast_fit(model, x, y, batch_size, epochs, validation_data=validation_data,
                     callbacks=callbacks, verbose=verbose)


def _fast_fit(model, x, y, batch_size, epochs, *, validation_data=None, callbacks=None,
              verbose=0):
    """``fast_fit`` without the argument checks (the public helpers check first)."""
    import keras

    if keras.backend.backend() != "tensorflow":
        return model.fit(x, y, epochs=epochs, batch_size=batch_size,
                         validation_data=validation_data, callbacks=callbacks, verbose=verbose)
    validation = {}
    if validation_data is not None:
        val_x, val_y = validation_data
        validation = dict(
            validation_data=make_dataset(val_x, val_y, batch_size, shuffle=False),
            validation_steps=steps_per_epoch(len(val_x), batch_size))
    return model.fit(make_dataset(x, y, batch_size), epochs=epochs,
                     steps_per_epoch=steps_per_epoch(len(x), batch_size),
                     shuffle=False,  # the pipeline already reshuffles every epoch
                     callbacks=callbacks, verbose=verbose, **validation)


def fit_one_more(
    model,
    train_x,
    train_y,
    test_x,
    test_y,
    batch_size=20,
    *,
    epochs=LECTURE_EPOCHS,
    plot=True,
    fast=True,
    verbose=0,
):
    """Train ``epochs`` more epochs (lecture: 1000) from the current weights, then report.

    Prints ``elapsed : <seconds> s``, evaluates the test set, and (``plot=True``)
    scatters the test points (blue) against the model's predictions (red), as in the
    lecture.

    Parameters
    ----------
    model : compiled keras.Model
    train_x, train_y, test_x, test_y : array-like
        Training and test data (finite numbers, matching lengths).
    batch_size : int >= 1
        Samples per gradient step (lecture: 20).
    epochs : int >= 1
        Passes over the training data in this call.
    plot : bool
        Draw the test points and the predictions.
    fast : bool
        ``True``: the input path that is fastest on the current backend (``fast_fit``:
        a ``tf.data`` pipeline built once on TensorFlow, arrays elsewhere; the same
        training with less per-epoch overhead). ``False``: the lecture's plain
        ``model.fit`` on NumPy arrays.
    verbose : 0, 1 or 2
        Passed to ``fit`` (notebooks use 0 or 2: no progress bars).

    Returns
    -------
    keras.callbacks.History
        ``history.history`` has one value per epoch; two extra attributes:
        ``history.test_loss`` (the loss on the test set after this call) and
        ``history.elapsed`` (seconds spent in ``fit``).

    Introduced in notebook 02.
    """
    check_compiled_model("model", model)
    train_x, train_y = check_xy("train_x", train_x, "train_y", train_y)
    test_x, test_y = check_xy("test_x", test_x, "test_y", test_y)
    batch_size = check_int("batch_size", batch_size)
    epochs = check_int("epochs", epochs)
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    plot = check_bool("plot", plot)
    fast = check_bool("fast", fast)

    start_time = time.perf_counter()
    if fast:
        history = _fast_fit(model, train_x, train_y, batch_size, epochs, verbose=verbose)
    else:
        history = model.fit(
            train_x, train_y, epochs=epochs, batch_size=batch_size, verbose=verbose
        )
    history.elapsed = time.perf_counter() - start_time
    print(f"elapsed : {history.elapsed:.2f} s")

    scores = model.evaluate(test_x, test_y, batch_size=len(test_x), verbose=0, return_dict=True)
    history.test_loss = float(scores["loss"])
    if plot:
        from .plotting import plot_predictions

        plot_predictions(model, test_x, test_y)
    return history


def fit_n_times(
    model, train_x, train_y, test_x, test_y, n, batch_size=20, *, epochs=LECTURE_EPOCHS, **kwargs
):
    """Call ``fit_one_more`` ``n`` times in a row (the lecture calls it with ``n=10``).

    Prints ``"{i} times fitting"`` before each round, as in the lecture. Keyword
    arguments (``plot``, ``fast``, ``verbose``) go to ``fit_one_more``.

    Returns
    -------
    list of keras.callbacks.History
        One per round, in order; ``plot_history(histories, join=True)`` draws them as
        one continuous curve, and ``[h.test_loss for h in histories]`` is the test loss
        after each round.

    Introduced in notebook 02.
    """
    check_compiled_model("model", model)
    n = check_int("n", n)
    check_xy("train_x", train_x, "train_y", train_y)
    check_xy("test_x", test_x, "test_y", test_y)
    check_int("batch_size", batch_size)
    check_int("epochs", epochs)
    histories = []
    for i in range(n):
        print(f"{i} times fitting")
        histories.append(
            fit_one_more(
                model, train_x, train_y, test_x, test_y, batch_size, epochs=epochs, **kwargs
            )
        )
    return histories
