"""Benchmark: the sine rounds of notebook 02, per backend and path, against a lower bound.

Run from the repository root, in the pinned environment (JAX and PyTorch from the
``backends`` extra; a backend that is not installed is left out)::

    python tests/benchmarks/fit_speed.py                  # print the table
    python tests/benchmarks/fit_speed.py --update-readme  # ... and write it into README.md
    python tests/benchmarks/fit_speed.py --update-notebook  # ... and into notebook 02
    python tests/benchmarks/fit_speed.py --backends jax --epochs 1000 --repeats 5

Every path trains the same thing: the lecture's 1-10-10-1 ``tanh`` network
(``tests/sine.py``), compiled as notebook 02 compiles it for its rounds (Adam, learning rate
0.01, MSE), on ``get_sin_data()``'s 80 training samples in batches of 20 (4 steps per
epoch, reshuffled every epoch), for rounds of ``--epochs`` epochs. Each backend runs in its
own process (the backend is fixed at ``import keras``); each path gets a fresh model and a
short warm-up round (tracing and compiling are not counted), then ``--repeats`` timed
rounds; the table gives the median time per epoch. Paths:

- **lower bound**: the same training (same steps, a fresh permutation every epoch, Adam
  with Keras' constants) as one ``jax.jit``-compiled ``jax.lax.scan`` over every step of the
  round: no per-step Python, no callbacks, no logs. The cheapest honest loop this machine
  runs; every other path is given as a multiple of it;
- ``model.fit``: the lecture's plain ``fit(train_x, train_y, epochs=E, batch_size=20)``;
- ``model.fit, steps_per_execution=4``: the same with ``compile(steps_per_execution=4)``
  (one call into the backend per epoch; PyTorch does not support it);
- ``fast_fit``: ``course_utils.fast_fit``, one history value per epoch (lessons 03-07);
- ``fit_one_more``: the course helper (``plot=False``), a round as one ``fit`` call, its
  test-set evaluation included.

This is a benchmark, not a test: timings depend on the machine and its load (the header
gives the load average). ``--update-readme`` and ``--update-notebook`` replace the text
between the ``<!-- fit_speed:begin -->`` and ``<!-- fit_speed:end -->`` markers.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from course_utils.tools import BACKENDS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # tests/sine.py: the model the unit tests train

README = ROOT / "README.md"
NOTEBOOK = ROOT / "notebooks" / "02_extra_epoch_fitting.ipynb"
BEGIN, END = "<!-- fit_speed:begin -->", "<!-- fit_speed:end -->"
BATCH_SIZE = 20
LEARNING_RATE = 0.01
PATHS = ("model.fit", "model.fit, steps_per_execution=4", "fast_fit", "fit_one_more")


def _quiet_setup():
    import io
    from contextlib import redirect_stdout

    from course_utils import setup_notebook

    with redirect_stdout(io.StringIO()):
        setup_notebook(0, show_versions=False)


def _median_per_epoch(run_round, epochs, repeats):
    run_round(3)  # warm-up: tracing and compiling are not counted
    per_epoch = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_round(epochs)
        per_epoch.append((time.perf_counter() - start) / epochs)
    return statistics.median(per_epoch)


def time_backend(epochs, repeats):
    """In a process whose backend is already chosen: {path: seconds per epoch}."""
    import io
    from contextlib import redirect_stdout

    from sine import build_sine_model

    from course_utils import fast_fit, fit_one_more, get_sin_data

    _quiet_setup()
    import keras

    (tx, ty), (vx, vy) = get_sin_data()
    results = {}
    for name in PATHS:
        spe = 4 if "steps_per_execution" in name else 1
        if spe > 1 and keras.backend.backend() == "torch":
            continue
        model = build_sine_model(keras.optimizers.Adam(LEARNING_RATE))
        if spe > 1:
            model.compile(optimizer=model.optimizer, loss="mse", metrics=["mse"],
                          steps_per_execution=spe)

        def run_round(n, model=model, name=name):
            if name == "fit_one_more":
                with redirect_stdout(io.StringIO()):  # its "elapsed" line
                    fit_one_more(model, tx, ty, vx, vy, BATCH_SIZE, epochs=n, plot=False)
            elif name == "fast_fit":
                fast_fit(model, tx, ty, batch_size=BATCH_SIZE, epochs=n)
            else:
                model.fit(tx, ty, epochs=n, batch_size=BATCH_SIZE, verbose=0)

        results[name] = _median_per_epoch(run_round, epochs, repeats)
    return {"keras": keras.__version__, "library": _library_version(keras.backend.backend()),
            "results": results}


def _library_version(backend):
    import importlib

    return importlib.import_module(backend).__version__


def time_lower_bound(epochs, repeats):
    """The same training as one compiled ``lax.scan`` over the round: seconds per epoch."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from course_utils import get_sin_data

    (tx, ty), _ = get_sin_data()
    x, y = jnp.asarray(tx, jnp.float32), jnp.asarray(ty, jnp.float32)
    n = len(tx)
    b1, b2, eps = 0.9, 0.999, 1e-7  # keras.optimizers.Adam's defaults

    def loss(params, xb, yb):
        (w1, c1), (w2, c2), (w3, c3) = params
        h = jnp.tanh(jnp.tanh(xb @ w1 + c1) @ w2 + c2)
        return jnp.mean((h @ w3 + c3 - yb) ** 2)

    def step(state, batch):
        params, m, v, t = state
        grads = jax.grad(loss)(params, x[batch], y[batch])
        t = t + 1
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        lr = LEARNING_RATE * jnp.sqrt(1 - b2**t) / (1 - b1**t)
        params = jax.tree.map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + eps), params, m, v)
        return (params, m, v, t), None

    train = jax.jit(lambda state, batches: jax.lax.scan(step, state, batches)[0])
    rng = np.random.default_rng(0)
    sizes = [(1, 10), (10, 10), (10, 1)]
    params = [(jnp.asarray(rng.normal(0, 0.3, s), jnp.float32), jnp.zeros(s[1])) for s in sizes]
    zeros = jax.tree.map(jnp.zeros_like, params)
    state = [(params, zeros, zeros, jnp.float32(0))]

    def run_round(e):
        # one permutation per epoch (drawn here, timed), cut into batches of 20
        order = np.argsort(rng.random((e, n)), axis=1).reshape(-1, BATCH_SIZE)
        state[0] = jax.block_until_ready(train(state[0], order))

    run_round(epochs)  # compile for this round length
    return {"results": {"lower bound": _median_per_epoch(run_round, epochs, repeats)}}


def installed(backend):
    import importlib.util

    return importlib.util.find_spec(backend) is not None


def _worker(kind, args):
    env = {**os.environ, "KERAS_BACKEND": kind if kind in BACKENDS else "jax"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--epochs", str(args.epochs),
         "--repeats", str(args.repeats)],
        capture_output=True, text=True, env=env, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(bound, rows, args, loads):
    """The markdown the README and notebook 02 show (between the markers)."""
    backends = list(rows)
    keras_version = next(iter(rows.values()))["keras"] if rows else "?"
    versions = ", ".join(f"{b} {rows[b]['library']}" for b in backends)
    lines = [
        f"`python tests/benchmarks/fit_speed.py`: {os.cpu_count()} CPUs (load average "
        f"{loads[0]:.1f} before, {loads[1]:.1f} after), Keras {keras_version} ({versions}); "
        f"rounds of {args.epochs} epochs of 4 steps (batch {BATCH_SIZE}, Adam), median of "
        f"{args.repeats}. Milliseconds per epoch, and (×) how many times the lower bound:",
        "",
        "| path | " + " | ".join(backends) + " |",
        "|---|" + "---:|" * len(backends),
    ]
    if bound is not None:
        lines.append("| **lower bound**: the same training, one compiled `jax.lax.scan` | "
                     + " | ".join(f"{bound * 1e3:.3f} (1×)" for _ in backends) + " |")
    for path in PATHS:
        cells = []
        for b in backends:
            t = rows[b]["results"].get(path)
            if t is None:
                cells.append("n/a")
            else:
                cells.append(f"{t * 1e3:.2f}" + (f" ({t / bound:.0f}×)" if bound else ""))
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    gains = [rows[b]["results"]["model.fit"] / rows[b]["results"]["fit_one_more"]
             for b in backends]
    lines.append("| `fit_one_more`, times faster than `model.fit` | "
                 + " | ".join(f"**{g:.1f}×**" for g in gains) + " |")
    return "\n".join(lines)


def replace_between_markers(text, generated, where):
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise SystemExit(f"{where}: expected one {BEGIN} ... {END} pair")
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{generated}\n{END}{tail}"


def update_readme(generated):
    README.write_text(replace_between_markers(README.read_text(encoding="utf-8"), generated,
                                              README.name), encoding="utf-8")
    print(f"updated {README.relative_to(ROOT)}")


def update_notebook(generated):
    import nbformat

    from course_utils.tools.nbfmt import canonicalize

    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown" and BEGIN in c.source]
    if len(cells) != 1:
        raise SystemExit(f"{NOTEBOOK.name}: expected one markdown cell with {BEGIN}")
    cells[0].source = replace_between_markers(cells[0].source, generated, NOTEBOOK.name)
    NOTEBOOK.write_text(nbformat.writes(canonicalize(nb)) + "\n", encoding="utf-8")
    print(f"updated {NOTEBOOK.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="epochs per round")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--update-readme", action="store_true",
                        help="write the table into README.md between the markers")
    parser.add_argument("--update-notebook", action="store_true",
                        help="write the table into notebook 02's 'Under the hood'")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "bound":
        print(json.dumps(time_lower_bound(args.epochs, args.repeats)))
        return 0
    if args.worker:
        print(json.dumps(time_backend(args.epochs, args.repeats)))
        return 0
    loads = [os.getloadavg()[0]]
    bound = _worker("bound", args)["results"]["lower bound"] if installed("jax") else None
    rows = {}
    for backend in args.backends:
        if not installed(backend):
            print(f"({backend} is not installed: skipped)")
            continue
        rows[backend] = _worker(backend, args)
    loads.append(os.getloadavg()[0])
    generated = table(bound, rows, args, loads)
    print(generated)
    if args.update_readme:
        update_readme(generated)
    if args.update_notebook:
        update_notebook(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
