"""Find the batch size past which bigger batches stop making epochs faster.

Introduced in notebook 03. The lecture's recipe: double the batch size
(64 -> 128 -> 256 -> ...) until an epoch stops getting faster. ``time_batch_sizes``
does the doubling and times it; ``find_batch_size_limit`` names the knee;
``batch_timing_table`` prints the result as a Markdown table.

Run as a command to produce the table on another machine (e.g. one with a GPU)::

    course-batch-sweep --help
    course-batch-sweep --samples 65536 --stop 32768
    course-batch-sweep --samples 65536 --sizes 100 200 500

(``course_utils.tools.batch_sweep``, an instructor tool).

How the timing works: for each batch size a *fresh* model from ``model_fn()`` trains
through the backend's fastest input path (``training.fast_fit``) in ``repeats`` runs
of ``epochs + 1`` epochs each. The first epoch of every run is not timed: it builds the
run's input pipeline (and, in the first run, the backend traces the training step),
which is slow and not what we want to measure. The seconds of the other epochs are
averaged, and the sizes are timed in rounds (16, 32, ..., then 16, 32, ... again) so
that a burst of load from another program hits one round of every size rather than
every round of one size. The reported figure is the *median* run
(``statistic="median"``, the default: one disturbed run cannot move it); on a busy
machine ``statistic="min"`` reports the *fastest* run instead, as ``timeit`` does:
other programs can only add time, so the fastest run is the closest to what the
hardware can do.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from ._checks import (
    check_choice,
    check_compiled_model,
    check_int,
    check_real,
    check_sequence,
    check_xy,
)
from ._quiet import import_keras_quietly
from .training import _fast_fit, steps_per_epoch

keras = import_keras_quietly()
_clock = time.perf_counter  # the epoch timer's clock (tests put a fake one here)


@dataclass(frozen=True)
class BatchTiming:
    """One row of a batch-size sweep (see ``time_batch_sizes``). Introduced in notebook 03."""

    batch_size: int
    steps_per_epoch: int
    seconds_per_epoch: float  # the median (or fastest) repeat
    samples_per_second: float
    repeat_seconds: tuple  # seconds per epoch in each repeat


def _epoch_timer(seconds):
    """A callback that appends each epoch's wall-clock seconds to the list ``seconds``."""
    begin = []
    return keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: begin.append(_clock()),
        on_epoch_end=lambda epoch, logs: seconds.append(_clock() - begin[-1]),
    )


def _check_batch_sizes(batch_sizes, n_samples=None):
    sizes = check_sequence("batch_sizes", batch_sizes, item=check_int,
                           what="a list of integers such as [16, 32, 64, 128]")
    for i in range(1, len(sizes)):
        if sizes[i] <= sizes[i - 1]:
            raise ValueError(
                "batch_sizes must be strictly increasing (double each time, e.g. "
                f"16, 32, 64), got {sizes[i - 1]} then {sizes[i]} at position {i}"
            )
    if n_samples is not None and sizes[-1] > n_samples:
        raise ValueError(
            f"batch_sizes must not exceed the number of samples ({n_samples}), got "
            f"{sizes[-1]}: a batch can hold at most the whole training set"
        )
    return sizes


STATISTICS = {"median": statistics.median, "min": min}


def time_batch_sizes(model_fn, x, y, batch_sizes=(16, 32, 64, 128, 256, 512, 1024), *,
                     epochs=3, repeats=3, statistic="median"):
    """Time one training epoch for each batch size (steady state, median of a few repeats).

    Each repeat is one ``fit`` of ``epochs + 1`` epochs; its first epoch (input
    pipeline start-up, and in the first repeat the backend tracing the training step)
    is not timed, so the figures are steady-state epochs.

    Parameters
    ----------
    model_fn : callable
        ``model_fn()`` returns a freshly built, compiled ``keras.Model``; it is called
        once per batch size so that every size starts from the same kind of model.
    x, y : array-like
        Training inputs and targets (same number of samples, finite numbers).
    batch_sizes : sequence of int
        Strictly increasing sizes to try, at most ``len(x)``; the lecture doubles
        them (64, 128, 256, ...), which is what ``find_batch_size_limit`` expects.
    epochs : int >= 1
        Timed epochs per repeat (each repeat trains one more, untimed, first).
    repeats : int >= 1
        Timed runs per batch size.
    statistic : "median" or "min"
        Which run's seconds per epoch are reported: the median (default) or the
        fastest (better on a machine busy with other work).

    Returns
    -------
    list of BatchTiming
        One row per batch size, in order: ``batch_size``, ``steps_per_epoch``,
        ``seconds_per_epoch`` (median or fastest repeat), ``samples_per_second``,
        ``repeat_seconds`` (every repeat, in order).

    Introduced in notebook 03.
    """
    if not callable(model_fn) or isinstance(model_fn, keras.layers.Layer):
        raise TypeError(
            "model_fn must be a function that builds and compiles a new model "
            f"(e.g. def model_fn(): ...), got {type(model_fn).__name__}"
        )
    x, y = check_xy("x", x, "y", y)
    sizes = _check_batch_sizes(batch_sizes, len(x))
    epochs = check_int("epochs", epochs)
    repeats = check_int("repeats", repeats)
    statistic = check_choice("statistic", statistic, tuple(STATISTICS))

    models = {batch_size: check_compiled_model("model_fn()", model_fn()) for batch_size in sizes}
    # Time the sizes in rounds (16, 32, ..., 16, 32, ...): a burst of load from another
    # program then disturbs one round of every size instead of every round of one size.
    repeat_seconds = {batch_size: [] for batch_size in sizes}
    for _ in range(repeats):
        for batch_size, model in models.items():
            seconds = []
            _fast_fit(model, x, y, batch_size, epochs + 1, callbacks=[_epoch_timer(seconds)])
            # the first epoch builds the input pipeline (and first traces the step): untimed
            repeat_seconds[batch_size].append(statistics.fmean(seconds[1:]))

    rows = []
    for batch_size in sizes:
        seconds = STATISTICS[statistic](repeat_seconds[batch_size])
        rows.append(BatchTiming(
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch(len(x), batch_size),
            seconds_per_epoch=seconds,
            samples_per_second=len(x) / seconds,
            repeat_seconds=tuple(repeat_seconds[batch_size]),
        ))
    return rows


def _check_result(result):
    if isinstance(result, BatchTiming):
        result = [result]
    result = check_sequence("result", result, what="the list returned by time_batch_sizes")
    for i, row in enumerate(result):
        if not isinstance(row, BatchTiming):
            raise TypeError(
                f"result[{i}] must be a BatchTiming (a row of time_batch_sizes), "
                f"got {type(row).__name__}"
            )
    _check_batch_sizes([row.batch_size for row in result])
    return result


def find_batch_size_limit(result, min_gain=0.10):
    """The batch size past which a bigger batch no longer makes an epoch ``min_gain`` faster.

    The knee of the sweep: the smallest batch size ``b`` such that *no* larger size in
    ``result`` makes an epoch at least ``min_gain`` (10 %) faster than ``b`` does, i.e.
    ``seconds(b) / seconds(bigger) - 1 < min_gain`` for every bigger size. Comparing
    with every bigger size, not only the next one, keeps one disturbed measurement
    from ending the search early.

    Parameters
    ----------
    result : list of BatchTiming
        What ``time_batch_sizes`` returned (at least two sizes).
    min_gain : float > 0
        Smallest speed-up that still counts as "faster" (0.10 = 10 %).

    Returns
    -------
    int or None
        The batch size at the knee, or ``None`` when even the last step up still paid
        (the limit lies beyond the sweep: extend it to larger sizes).

    Introduced in notebook 03.
    """
    rows = _check_result(result)
    if len(rows) < 2:
        raise ValueError(f"result must hold at least two batch sizes to compare, got {len(rows)}")
    min_gain = check_real("min_gain", min_gain)
    if min_gain <= 0:
        raise ValueError(f"min_gain must be > 0 (e.g. 0.10 for 10 %), got {min_gain}")
    for i, row in enumerate(rows[:-1]):
        fastest_bigger = min(r.seconds_per_epoch for r in rows[i + 1:])
        if row.seconds_per_epoch / fastest_bigger - 1 < min_gain:
            return row.batch_size
    return None


def batch_timing_table(result):
    """The sweep as a Markdown table: batch size, steps, ms per epoch, samples/s, speed-up.

    Introduced in notebook 03 (and printed by ``course-batch-sweep``).
    """
    rows = _check_result(result)
    lines = [
        "| batch size | steps/epoch | ms/epoch | samples/s | faster than previous |",
        "|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for row in rows:
        gain = "" if previous is None else f"{previous / row.seconds_per_epoch - 1:+.0%}"
        lines.append(
            f"| {row.batch_size} | {row.steps_per_epoch} | {1000 * row.seconds_per_epoch:.1f} "
            f"| {row.samples_per_second:,.0f} | {gain} |"
        )
        previous = row.seconds_per_epoch
    return "\n".join(lines)
