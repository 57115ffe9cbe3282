"""Training helpers with the lecture's names: ``fit_one_more`` and ``fit_n_times``.

Introduced in notebook 02 ("추가학습", extra-epoch fitting). Both keep training from the
model's *current* weights, exactly like calling ``model.fit`` again.

Why they are faster than the lecture's ``model.fit(train_x, train_y, epochs=1000,
batch_size=20)``: on the sine data an epoch is only four small steps, so what costs time
is the work ``fit`` does around them, once per epoch (a fresh input iterator on
TensorFlow, callbacks, logs, metric resets) and once per step (a call from Python into
the backend). The helpers use two standard Keras levers and stay a thin layer over
``fit``:

- **the epochs of a round folded into one ``fit`` call**: ``fit_one_more`` gives ``fit``
  the round's ``epochs`` passes over the data, each one reshuffled, as one long epoch of
  ``epochs x steps_per_epoch`` steps (the same batches, in the same kind of order, as
  ``epochs`` separate epochs), so the per-epoch work happens once per round;
- **``steps_per_execution``**: one call into the backend runs many steps (on TensorFlow a
  loop inside the compiled graph), as ``model.compile(steps_per_execution=...)`` would;
  the model's own setting is restored afterwards. The PyTorch backend does not support it.

On PyTorch, Keras runs every step eagerly, and about half of a step's CPU time on this
model goes to Keras' nested-structure utilities, which on that backend alone go through
``torch.utils._pytree`` (a profile: ~300 flattenings a step). ``_use_optree_on_torch``
switches them to ``optree`` (the C++ implementation Keras uses on the other backends;
same results, half the time a step); the training helpers call it.

``fast_fit`` keeps one value per epoch in its history (lessons plot them), so it only uses
the second lever (one execution per epoch), and on TensorFlow a repeating ``tf.data``
pipeline built once instead of the iterator ``fit`` rebuilds every epoch.
``tests/benchmarks/fit_speed.py`` measures every path on every installed backend against
a lower bound (the same training as one compiled JAX loop).
"""

from __future__ import annotations

import contextlib
import math
import time

import numpy as np

from ._checks import (
    check_bool,
    check_choice,
    check_compiled_model,
    check_int,
    check_sequence,
    check_xy,
)

LECTURE_EPOCHS = 1000
# Steps per call into the backend for a folded round: enough that the call overhead
# vanishes, and the same for every round, so TensorFlow traces the loop only once.
ROUND_STEPS_PER_EXECUTION = 1000
# A round is folded into arrays of epochs x samples rows up to this size (else tf.data).
_MAX_FOLDED_ROWS = 2_000_000


_trees_switched = False


def _use_optree_on_torch():
    """On the PyTorch backend, Keras' ``keras.tree`` utilities through ``optree``.

    Keras picks ``torch.utils._pytree`` for them on PyTorch (it suits ``torch.compile``,
    which the course does not use) and ``optree`` on the other backends. On the small
    models here that choice is half of a training step's time; ``optree`` gives the same
    structures (Keras' tracked lists, dicts and sets are registered with it here). Does
    nothing on other backends, after the first call, or if Keras' layout differs.
    Not part of the lessons: ``setup_notebook`` calls it, so that a lesson's plain
    ``model.fit`` gains too, and so do ``fit_one_more``, ``fit_n_times``, ``fast_fit``
    and ``make_dataset`` (for a script that skips ``setup_notebook``).
    """
    global _trees_switched
    import keras

    if _trees_switched or keras.backend.backend() != "torch":
        return
    _trees_switched = True
    try:
        from keras.src.tree import optree_impl, tree_api
        from keras.src.utils import tracking
    except ImportError:  # another Keras layout: keep its default
        return
    for cls in (tracking.TrackedList, tracking.TrackedDict, tracking.TrackedSet):
        try:
            optree_impl.register_tree_node_class(cls)
        except ValueError:  # already registered
            pass
    tree_api.tree_impl = optree_impl


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
    shuffle = check_bool("shuffle", shuffle)
    repeat = check_bool("repeat", repeat)
    if seed is not None:
        seed = check_int("seed", seed, minimum=0)
    return _make_dataset(x, y, batch_size, shuffle=shuffle, repeat=repeat, seed=seed)


def _make_dataset(x, y, batch_size, *, shuffle=True, repeat=True, seed=None):
    """``make_dataset`` without the argument checks (the public helpers check first)."""
    from ._quiet import import_keras_quietly

    import_keras_quietly()  # imports TensorFlow too, its start-up logging silenced
    _use_optree_on_torch()
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
    callbacks=..., verbose=...)`` (same batches per epoch, reshuffled every epoch; one
    history value per epoch; the validation loss after each epoch), with less overhead
    where the backend has it. Each epoch is one call into the backend (the model runs
    with ``steps_per_execution`` = the steps of an epoch during this call; its own
    setting is back afterwards). TensorFlow: ``fit`` on arrays also rebuilds its input
    iterator every epoch, which costs more than a whole epoch of a small model; here the
    samples go through a repeating ``tf.data`` pipeline built once (``make_dataset``)
    with ``steps_per_epoch``. PyTorch: the plain ``fit`` (Keras has no faster path there).
    Batch-level callbacks are called once per epoch.

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

    Introduced in notebook 02 (the optimizer race); notebook 04 shows it beside ``model.fit``.
    """
    check_compiled_model("model", model)
    x, y = check_xy("x", x, "y", y)
    batch_size = check_int("batch_size", batch_size)
    epochs = check_int("epochs", epochs)
    if validation_data is not None:
        val_x, val_y = check_sequence("validation_data", validation_data,
                                      what="a tuple (val_x, val_y) of arrays", min_len=2)[:2]
        if len(validation_data) != 2:
            raise ValueError(f"validation_data must be (val_x, val_y), got {len(validation_data)} "
                             "items")
        validation_data = check_xy("validation_data[0]", val_x, "validation_data[1]", val_y)
    if callbacks is not None:
        callbacks = check_sequence("callbacks", callbacks, what="a list of Keras callbacks",
                                   min_len=0)
    verbose = check_choice("verbose", verbose, (0, 1, 2))
    return _fast_fit(model, x, y, batch_size, epochs, validation_data=validation_data,
                     callbacks=callbacks, verbose=verbose)


def _fast_fit(model, x, y, batch_size, epochs, *, validation_data=None, callbacks=None,
              verbose=0):
    """``fast_fit`` without the argument checks (the public helpers check first)."""
    import keras

    _use_optree_on_torch()

    steps = steps_per_epoch(len(x), batch_size)
    if keras.backend.backend() != "tensorflow":
        with _steps_per_execution(model, steps):  # one call into the backend per epoch
            return model.fit(x, y, epochs=epochs, batch_size=batch_size,
                             validation_data=validation_data, callbacks=callbacks,
                             verbose=verbose)
    validation = {}
    if validation_data is not None:
        val_x, val_y = validation_data
        validation = dict(
            validation_data=_make_dataset(val_x, val_y, batch_size, shuffle=False,
                                          repeat=False),
            validation_steps=steps_per_epoch(len(val_x), batch_size))
    with _steps_per_execution(model, steps):
        return model.fit(_make_dataset(x, y, batch_size), epochs=epochs, steps_per_epoch=steps,
                         shuffle=False,  # the pipeline already reshuffles every epoch
                         callbacks=callbacks, verbose=verbose, **validation)


def _fit_round(model, x, y, batch_size, epochs, verbose=0):
    """``epochs`` epochs of training as one ``fit`` call (``fit_one_more(fast=True)``).

    The round's ``epochs`` passes over the samples, each in a fresh random order, become
    one long epoch of ``epochs * steps_per_epoch`` batches, so ``fit``'s per-epoch work
    happens once per round. When the batches tile the samples exactly
    (``len(x) % batch_size == 0``) the passes are NumPy index permutations (seeded by
    ``keras.utils.set_random_seed``); otherwise each pass ends with its short batch, as in
    ``fit``, through a ``tf.data`` pipeline repeated ``epochs`` times.
    """
    n = len(x)
    if n % batch_size == 0 and epochs * n <= _MAX_FOLDED_ROWS:
        order = np.argsort(np.random.random((epochs, n)), axis=1).ravel()
        data = _batches(x[order], y[order], batch_size)
    else:
        data = dict(x=_make_dataset(x, y, batch_size, repeat=False).repeat(epochs))
    with _steps_per_execution(model, ROUND_STEPS_PER_EXECUTION):
        return model.fit(**data, epochs=1, verbose=verbose)


def _batches(x, y, batch_size):
    """``fit``/``evaluate`` keyword arguments for ``x``, ``y`` in batches, in this order.

    On TensorFlow a plain ``tf.data`` pipeline: given NumPy arrays, Keras builds one with
    traced slicing functions at every call, which costs more than a short round.
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        return dict(x=x, y=y, batch_size=batch_size, shuffle=False)
    return dict(x=_make_dataset(x, y, batch_size, shuffle=False, repeat=False))


class _Executions:
    """The compiled functions a model got for other ``steps_per_execution`` values."""

    def __init__(self, compile_config):
        self.compile_config = compile_config
        self.functions = {}


@contextlib.contextmanager
def _steps_per_execution(model, steps):
    """Inside, ``model`` runs ``steps`` steps per call into the backend.

    What ``model.compile(steps_per_execution=steps)`` sets, without compiling again: the
    model's own setting and compiled functions are back on exit (so the learner's next
    ``model.fit`` is unchanged), and the fast ones are kept on the model for the next
    call, until the model is compiled again. A no-op on PyTorch (Keras supports only 1).
    """
    import keras

    own_steps = model.steps_per_execution
    if keras.backend.backend() == "torch" or steps == own_steps:
        yield
        return
    names = ("train_function", "test_function")
    own = {name: getattr(model, name) for name in names}
    config = getattr(model, "_compile_config", None)  # a new object at every compile()
    cache = getattr(model, "_course_utils_executions", None)
    if cache is None or config is None or cache.compile_config is not config:
        cache = _Executions(config)
    fast = cache.functions.get(steps, dict.fromkeys(names))
    model.steps_per_execution = steps
    for name in names:
        setattr(model, name, fast[name])
    try:
        yield
    finally:
        cache.functions[steps] = {name: getattr(model, name) for name in names}
        model.steps_per_execution = own_steps
        for name, function in own.items():
            setattr(model, name, function)
        model._course_utils_executions = cache


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
        Passes over the training data in this call, each one reshuffled.
    plot : bool
        Draw the test points and the predictions.
    fast : bool
        ``True``: the round's epochs as one ``fit`` call (the same batches and steps,
        reshuffled every epoch, the optimizer's state carried on; see the module
        docstring). ``False``: the lecture's plain ``model.fit(..., epochs=epochs)`` on
        NumPy arrays.
    verbose : 0, 1 or 2
        Passed to ``fit`` (notebooks use 0 or 2: no progress bars).

    Returns
    -------
    keras.callbacks.History
        What ``fit`` returned. With ``fast=False``, ``history.history`` has one value per
        epoch; with ``fast=True`` the round is one long ``fit`` epoch, so it has one value
        per round: the mean training loss (and metrics) over the round's steps, and
        ``history.params["steps"]`` is ``epochs * steps_per_epoch``. Two extra
        attributes: ``history.test_loss`` (the loss on the test set after this call) and
        ``history.elapsed`` (seconds spent in ``fit``).

    Introduced in notebook 02.
    """
    check_compiled_model("model", model)
    train_x, train_y = check_xy("train_x", train_x, "train_y", train_y)
    test_x, test_y = check_xy("test_x", test_x, "test_y", test_y)
    batch_size = check_int("batch_size", batch_size)
    epochs = check_int("epochs", epochs)
    plot, fast, verbose = _check_round_options(plot=plot, fast=fast, verbose=verbose)
    return _fit_one_more(model, train_x, train_y, test_x, test_y, batch_size, epochs,
                         plot=plot, fast=fast, verbose=verbose)


def _check_round_options(plot=True, fast=True, verbose=0):
    """``fit_one_more``'s keyword options, checked (``fit_n_times`` passes them on)."""
    verbose = check_choice("verbose", verbose, (0, 1, 2))
    return check_bool("plot", plot), check_bool("fast", fast), verbose


def _fit_one_more(model, train_x, train_y, test_x, test_y, batch_size, epochs, *, plot, fast,
                  verbose):
    """``fit_one_more`` without the argument checks."""
    _use_optree_on_torch()
    start_time = time.perf_counter()
    if fast:
        history = _fit_round(model, train_x, train_y, batch_size, epochs, verbose=verbose)
    else:
        history = model.fit(
            train_x, train_y, epochs=epochs, batch_size=batch_size, verbose=verbose
        )
    history.elapsed = time.perf_counter() - start_time
    print(f"elapsed : {history.elapsed:.2f} s")

    test = _batches(test_x, test_y, len(test_x))
    test.pop("shuffle", None)
    scores = model.evaluate(**test, verbose=0, return_dict=True)
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
    arguments (``plot``, ``fast``, ``verbose``) go to ``fit_one_more``; every argument
    is checked before the first line is printed.

    Returns
    -------
    list of keras.callbacks.History
        One per round, in order; ``[h.test_loss for h in histories]`` is the test loss
        after each round, and ``plot_history(histories, join=True)`` draws the rounds as
        one curve (one point per round with ``fast=True``, one per epoch with
        ``fast=False``).

    Introduced in notebook 02.
    """
    check_compiled_model("model", model)
    n = check_int("n", n)
    train_x, train_y = check_xy("train_x", train_x, "train_y", train_y)
    test_x, test_y = check_xy("test_x", test_x, "test_y", test_y)
    batch_size = check_int("batch_size", batch_size)
    epochs = check_int("epochs", epochs)
    unknown = sorted(set(kwargs) - {"plot", "fast", "verbose"})
    if unknown:
        raise TypeError(f"fit_n_times got unexpected keyword argument(s) {', '.join(unknown)}; "
                        "it passes on plot, fast and verbose to fit_one_more")
    plot, fast, verbose = _check_round_options(**kwargs)
    histories = []
    for i in range(n):
        print(f"{i} times fitting")
        histories.append(
            _fit_one_more(model, train_x, train_y, test_x, test_y, batch_size, epochs,
                          plot=plot, fast=fast, verbose=verbose)
        )
    return histories
