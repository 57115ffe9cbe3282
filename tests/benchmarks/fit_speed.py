"""Benchmark: time per epoch of the lecture's plain ``model.fit`` vs ``fit_one_more``, per backend.

Run from the repository root, in the pinned environment (JAX and PyTorch from the
``backends`` extra; a backend that is not installed is left out)::

    python tests/benchmarks/fit_speed.py                 # every installed backend
    python tests/benchmarks/fit_speed.py --backends jax --epochs 1000 --repeats 5

Same model (the lecture's 1-10-10-1 tanh network, SGD, MSE), same data (get_sin_data:
80 training samples), same batch size (20): 4 steps per epoch. Each backend runs in its
own process (the backend is fixed at ``import keras``). Each variant gets a fresh model,
a short warm-up fit (tracing and compiling are not counted), then ``repeats`` timed fits;
the median time per epoch is reported. Variants:

- ``plain``: ``model.fit(train_x, train_y, epochs=E, batch_size=20)`` on NumPy arrays,
  as in the lecture;
- ``plain + steps_per_execution``: the same with ``compile(steps_per_execution=4)``
  (one call runs all 4 steps of an epoch; the PyTorch backend does not support it);
- ``fit_one_more``: the course helper, whose input path depends on the backend
  (``course_utils.training.fast_fit``: a ``tf.data`` pipeline built once on TensorFlow,
  the plain array ``fit`` elsewhere).

This is a benchmark, not a test: timings depend on the machine. The README and notebook
02 quote its output.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from course_utils.tools import BACKENDS

VARIANTS = ("plain", "plain + steps_per_execution", "fit_one_more")


def time_backend(epochs, repeats):
    """In a process whose backend is already chosen: {variant: seconds per epoch}."""
    import io
    from contextlib import redirect_stdout

    from course_utils import fit_one_more, get_sin_data, setup_notebook

    with redirect_stdout(io.StringIO()):
        setup_notebook(0, show_versions=False)
    import keras

    (tx, ty), (vx, vy) = get_sin_data(start=0, end=10, step=0.1)
    results = {}
    for name in VARIANTS:
        spe = 4 if "steps_per_execution" in name else 1
        if spe > 1 and keras.backend.backend() == "torch":
            continue
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(10, activation="tanh"),
                                  keras.layers.Dense(10, activation="tanh"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="SGD", loss="mse", metrics=["mse"], steps_per_execution=spe)

        def fit(n, model=model, name=name):
            if name == "fit_one_more":
                with redirect_stdout(io.StringIO()):  # its "elapsed" line
                    fit_one_more(model, tx, ty, vx, vy, epochs=n, plot=False)
            else:
                model.fit(tx, ty, epochs=n, batch_size=20, verbose=0)

        fit(3)  # warm-up
        per_epoch = []
        for _ in range(repeats):
            start = time.perf_counter()
            fit(epochs)
            per_epoch.append((time.perf_counter() - start) / epochs)
        results[name] = statistics.median(per_epoch)
    return {"keras": keras.__version__, "results": results}


def installed(backend):
    import importlib.util

    return importlib.util.find_spec(backend) is not None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(time_backend(args.epochs, args.repeats)))
        return 0
    rows = {}
    for backend in args.backends:
        if not installed(backend):
            print(f"({backend} is not installed: skipped)")
            continue
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", "--epochs", str(args.epochs),
             "--repeats", str(args.repeats)],
            capture_output=True, text=True, env={**os.environ, "KERAS_BACKEND": backend},
            check=True)
        rows[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    keras_version = next(iter(rows.values()))["keras"] if rows else "?"
    print(f"{os.cpu_count()} CPUs, keras {keras_version}, {args.epochs} epochs x "
          f"{args.repeats} repeats (median), ms per epoch\n")
    print("| backend | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---:|" * len(VARIANTS))
    for backend, row in rows.items():
        times = row["results"]
        cells = [f"{times[v] * 1e3:.2f}" if v in times else "n/a" for v in VARIANTS]
        print(f"| {backend} | " + " | ".join(cells) + " |")
    best = min(((t, b, v) for b, r in rows.items() for v, t in r["results"].items()),
               default=None)
    if best:
        print(f"\nfastest: {best[2]} on {best[1]}, {best[0] * 1e3:.2f} ms per epoch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
