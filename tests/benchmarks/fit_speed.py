"""Benchmark: time per epoch of the lecture's plain ``model.fit`` vs ``fit_one_more``.

Run from the repository root, in the pinned environment::

    python tests/benchmarks/fit_speed.py            # 300 epochs, 3 repeats
    python tests/benchmarks/fit_speed.py --epochs 1000 --repeats 5

Same model (the lecture's 1-10-10-1 tanh network, SGD, MSE), same data (get_sin_data:
80 training samples), same batch size (20): 4 steps per epoch. Each variant gets a fresh
model, a short warm-up fit (graph tracing is not counted), then ``repeats`` timed fits;
the median time per epoch is reported. Variants:

- ``plain``: ``model.fit(train_x, train_y, epochs=E, batch_size=20)`` on NumPy arrays,
  as in the lecture;
- ``plain + steps_per_execution``: the same with ``compile(steps_per_execution=4)``, to
  show that the per-*step* dispatch is not where the time goes;
- ``fit_one_more``: a repeating tf.data pipeline built once + ``steps_per_epoch``.

This is a benchmark, not a test: timings depend on the machine. The README quotes its
output.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras

import course_utils  # noqa: F401  (quiet TensorFlow import)
from course_utils import fit_one_more, get_sin_data


def build(steps_per_execution=1):
    model = keras.Sequential([
        keras.Input((1,)),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(10, activation="tanh"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="SGD", loss="mse", metrics=["mse"],
                  steps_per_execution=steps_per_execution)
    return model


def time_variant(name, epochs, repeats, data):
    (tx, ty), (vx, vy) = data
    model = build(4 if "steps_per_execution" in name else 1)
    fast = name == "fit_one_more"
    fit_one_more(model, tx, ty, vx, vy, epochs=3, plot=False, fast=fast)  # warm-up
    per_epoch = []
    for _ in range(repeats):
        start = time.perf_counter()
        if fast:
            fit_one_more(model, tx, ty, vx, vy, epochs=epochs, plot=False)
        else:
            model.fit(tx, ty, epochs=epochs, batch_size=20, verbose=0)
        per_epoch.append((time.perf_counter() - start) / epochs)
    return statistics.median(per_epoch)


def main(argv=None):
    parser = argparse.ArgumentParser(description="plain fit vs fit_one_more, per epoch")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    data = get_sin_data(start=0, end=10, step=0.1)
    variants = ["plain", "plain + steps_per_execution", "fit_one_more"]
    import io
    from contextlib import redirect_stdout

    results = {}
    for name in variants:
        with redirect_stdout(io.StringIO()):  # fit_one_more's "elapsed" lines
            results[name] = time_variant(name, args.epochs, args.repeats, data)
    print(f"{os.cpu_count()} CPUs, keras {keras.__version__}, backend {keras.backend.backend()}, "
          f"{args.epochs} epochs x {args.repeats} repeats (median)")
    print("variant                        ms/epoch   speed-up vs plain")
    for name in variants:
        print(f"{name:<30} {results[name] * 1e3:8.2f}   {results['plain'] / results[name]:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
