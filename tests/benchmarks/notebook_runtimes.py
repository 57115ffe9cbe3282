"""Benchmark: each notebook's wall time per backend, the source of the README's runtime columns.

**The course's time budgets, stated here once** (docs and README point here), for a
2-core CPU: each notebook runs in at most ``BUDGET_S`` = 30 s on TensorFlow and JAX; the
README's test command, ``pytest --nbval``, runs in at most ``SUITE_BUDGET_S`` = 150 s
(aim 120 s), its first run in a fresh clone included (no ``.pytest_cache``, no
``__pycache__``). ``--suite`` measures the latter: it clones the repository's committed
state into a temporary folder and times the README's test command there.

Run from the repository root, in the pinned environment (JAX and PyTorch from the
``backends`` extra), on an otherwise idle machine::

    python tests/benchmarks/notebook_runtimes.py                       # TensorFlow
    python tests/benchmarks/notebook_runtimes.py --backends tensorflow jax torch
    python tests/benchmarks/notebook_runtimes.py --backends tensorflow jax torch --update-readme
    python tests/benchmarks/notebook_runtimes.py --backends jax --keep /tmp/executed
    python tests/benchmarks/notebook_runtimes.py --suite       # pytest --nbval, fresh clone

Each notebook runs top to bottom in a fresh kernel (a copy: nothing is written back),
one after the other, the way ``pytest --nbval`` runs one notebook. The backend reaches
the kernel through ``KERAS_BACKEND`` in its environment (``run_notebook(backend=...)``),
which the setup cell's ``os.environ.setdefault`` leaves alone. The budget is 30 s a
notebook on a 2-core CPU; notebooks over it are listed at the end and the exit code is 1.
``--update-readme`` writes one column per measured backend into the README's notebook
table. To time some notebooks only, name them before the options
(``notebook_runtimes.py notebooks/03_batch_size.ipynb --backends torch``).
This is a benchmark, not a test: timings depend on the machine.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_utils.tools import BACKENDS
from course_utils.tools.refresh import run_notebook

ROOT = Path(__file__).resolve().parents[2]
BUDGET_S = 30  # one notebook, TensorFlow or JAX, 2-core CPU
SUITE_BUDGET_S = 150  # the README's `pytest --nbval`, first run in a fresh clone, 2-core CPU
README_COLUMN = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def measure(paths, backend, keep=None):
    """{notebook name: seconds} for each path run with ``KERAS_BACKEND=backend``.

    With ``keep`` (a folder), each executed notebook is written to ``keep/backend/``, so
    its printed figures can be compared with the stored TensorFlow outputs.
    """
    times = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        times[path.name] = run_notebook(nb, path.parent, backend=backend)
        if keep:
            (keep / backend).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, keep / backend / path.name)
        print(f"{backend:<11} {path.name:<42} {times[path.name]:5.1f} s", flush=True)
    return times


def update_readme(times, readme=ROOT / "README.md"):
    """Write ``times[backend][notebook]`` into that backend's column of the notebook table."""
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("| # | Notebook"))
    columns = [c.strip() for c in lines[header].strip().strip("|").split("|")]
    for i, line in enumerate(lines[header + 2:], header + 2):
        if not line.startswith("|"):
            break
        cells = line.strip().strip("|").split("|")
        for backend, per_notebook in times.items():
            col = columns.index(README_COLUMN[backend])
            for name, seconds in per_notebook.items():
                if f"notebooks/{name})" in line:
                    cells[col] = f" {round(seconds)} s "
        lines[i] = "|" + "|".join(cells) + "|\n"
    readme.write_text("".join(lines), encoding="utf-8")


def time_suite():
    """(seconds, exit status) of the README's test command, first run in a fresh clone."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
                       check=True)
        # this environment's Python (the README's .venv), the clone's course_utils
        env = {**os.environ, "PYTHONPATH": str(clone)}
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-q"], cwd=clone,
                             env=env)
        return time.perf_counter() - start, run.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=["tensorflow"])
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="also write each executed notebook to DIR/<backend>/")
    parser.add_argument("--suite", action="store_true",
                        help="time the README's `pytest --nbval` in a fresh clone instead")
    args = parser.parse_args(argv)
    if args.suite:
        seconds, status = time_suite()
        print(f"\n{os.cpu_count()} CPUs; pytest --nbval, first run in a fresh clone: "
              f"{seconds:.0f} s (budget {SUITE_BUDGET_S} s), exit status {status}")
        return 1 if status or seconds > SUITE_BUDGET_S else 0
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{os.cpu_count()} CPUs; budget {BUDGET_S} s a notebook\n")
    times = {backend: measure(paths, backend, args.keep) for backend in args.backends}
    for backend, per_notebook in times.items():
        print(f"{backend:<11} {'total':<42} {sum(per_notebook.values()):5.1f} s")
    if args.update_readme:
        update_readme(times)
    over = [f"{n} ({b})" for b, t in times.items() for n, s in t.items() if s > BUDGET_S]
    if over:
        print(f"over the {BUDGET_S} s budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
