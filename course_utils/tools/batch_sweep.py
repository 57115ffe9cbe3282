"""``course-batch-sweep``: the batch-size sweep of notebook 03, on any machine.

    course-batch-sweep --help
    course-batch-sweep --samples 65536 --stop 32768          # e.g. on a GPU
    course-batch-sweep --samples 65536 --sizes 100 200 500   # the lecture's three sizes

Times one training epoch of an MLP for doubling batch sizes, prints the Markdown table
and names the batch size past which doubling stops paying (docs/gpu_batch_size.md).
"""

from __future__ import annotations

import argparse
import math
import numbers
import sys

import numpy as np

from course_utils import (
    batch_timing_table,
    find_batch_size_limit,
    gpu_names,
    library_versions,
    seed_everything,
    time_batch_sizes,
)
from course_utils.batch_size import STATISTICS


def check_int(name, value, *, minimum=1):
    """``value`` as an int, if it is an integer (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_sizes(sizes, samples):
    """The command's batch sizes: increasing integers, none above the number of samples."""
    sizes = [check_int("batch size", s) for s in sizes]
    for before, after in zip(sizes, sizes[1:]):
        if after <= before:
            raise ValueError(f"batch sizes must be strictly increasing, got {before} then {after}")
    if sizes[-1] > samples:
        raise ValueError(f"batch size {sizes[-1]} must not exceed the number of samples "
                         f"({samples}): raise --samples")
    return sizes


def _doubling(start, stop):
    """``[start, 2*start, 4*start, ...]`` up to and including ``stop``."""
    start = check_int("start", start)
    stop = check_int("stop", stop)
    if stop < start:
        raise ValueError(f"stop must be >= start, got start={start}, stop={stop}")
    return [start * 2**k for k in range(int(math.log2(stop // start)) + 1)]


def _mlp_workload(samples=4096, features=16, units=512, layers=2, *, seed=0):
    """The command's workload (notebook 03 builds the same one in its cells).

    Returns ``(x, y, model_fn)``: ``x`` has shape ``(samples, features)``, ``y`` is a
    smooth function of ``x``, and ``model_fn()`` builds a fresh ``layers`` x ``units``
    ReLU MLP compiled with SGD and MSE.
    """
    samples = check_int("samples", samples, minimum=2)
    features = check_int("features", features)
    units = check_int("units", units)
    layers = check_int("layers", layers)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, features)).astype(np.float32)
    y = np.sin(x @ rng.normal(size=(features, 1)) / np.sqrt(features)).astype(np.float32)

    def model_fn():
        import keras  # after seed_everything(), which imports it with the logging silenced

        model = keras.Sequential(
            [keras.Input((features,))]
            + [keras.layers.Dense(units, activation="relu") for _ in range(layers)]
            + [keras.layers.Dense(1)]
        )
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
        return model

    return x, y, model_fn


def main(argv=None):
    """Command line: time a doubling sweep of an MLP and print the Markdown table."""
    parser = argparse.ArgumentParser(
        prog="course-batch-sweep",
        description="Time one training epoch of an MLP for doubling batch sizes and "
        "name the batch size past which doubling stops paying (notebook 03).",
    )
    parser.add_argument("--samples", type=int, default=4096, help="training samples (4096)")
    parser.add_argument("--features", type=int, default=16, help="input features (16)")
    parser.add_argument("--units", type=int, default=512, help="units per hidden layer (512)")
    parser.add_argument("--layers", type=int, default=2, help="hidden layers (2)")
    parser.add_argument("--start", type=int, default=16, help="smallest batch size (16)")
    parser.add_argument("--stop", type=int, default=2048,
                        help="largest batch size; the sweep doubles from --start (2048)")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N",
                        help="explicit batch sizes instead of doubling, e.g. --sizes 100 200 500")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per repeat (3)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed repeats per size (3)")
    parser.add_argument("--statistic", choices=sorted(STATISTICS), default="median",
                        help="report the median repeat, or the fastest on a busy machine")
    parser.add_argument("--min-gain", type=float, default=0.10,
                        help="a doubling must make an epoch at least this much faster (0.10)")
    args = parser.parse_args(argv)
    try:
        sizes = args.sizes if args.sizes else _doubling(args.start, args.stop)
        x, y, model_fn = _mlp_workload(args.samples, args.features, args.units, args.layers)
        sizes = check_sizes(sizes, len(x))
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))

    seed_everything()
    gpus = gpu_names()
    versions = library_versions(("tensorflow", "keras"))
    print(f"device: {', '.join(gpus) if gpus else 'CPU only (no GPU visible)'}")
    import keras

    print(f"tensorflow {versions['tensorflow']}, keras {versions['keras']}, "
          f"backend {keras.backend.backend()}")
    print(f"workload: {args.samples} samples x {args.features} features, MLP "
          f"{args.layers} x {args.units} ReLU, SGD, MSE; {args.epochs} epochs x "
          f"{args.repeats} repeats per size, each after an untimed first epoch\n", flush=True)
    print(f"timing batch sizes {', '.join(map(str, sizes))} ...\n", flush=True)
    rows = time_batch_sizes(model_fn, x, y, sizes, epochs=args.epochs, repeats=args.repeats,
                            statistic=args.statistic)
    print(batch_timing_table(rows))
    limit = find_batch_size_limit(rows, args.min_gain) if len(rows) > 1 else None
    if limit is None:
        print(f"\nNo limit inside this sweep: even the largest step up made an epoch at "
              f"least {args.min_gain:.0%} faster (raise --stop and --samples).")
    else:
        print(f"\nLimit: past batch size {limit}, no bigger batch in the sweep makes an "
              f"epoch at least {args.min_gain:.0%} faster.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
