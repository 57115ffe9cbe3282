"""Benchmark: each notebook's wall time, the source of the README's runtime column.

Run from the repository root, in the pinned environment, on an otherwise idle machine::

    python tests/benchmarks/notebook_runtimes.py                  # print the table
    python tests/benchmarks/notebook_runtimes.py --update-readme  # and write the column

Each notebook runs top to bottom in a fresh kernel (a copy: nothing is written back),
one after the other, the way ``pytest --nbval`` runs one notebook. The budget is 30 s a
notebook on a 2-core CPU; notebooks over it are listed at the end and the exit code is 1.
This is a benchmark, not a test: timings depend on the machine.
"""

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat

from course_utils.tools.refresh import run_notebook

ROOT = Path(__file__).resolve().parents[2]
BUDGET_S = 30


def measure(paths):
    times = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        times[path.name] = run_notebook(nb, path.parent)
        print(f"{path.name:<42} {times[path.name]:5.1f} s", flush=True)
    return times


def update_readme(times, readme=ROOT / "README.md"):
    """Write each runtime into the last column of the notebook's row in the README table."""
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        for name, seconds in times.items():
            if line.startswith("|") and f"notebooks/{name})" in line:
                lines[i] = re.sub(r"\|\s*[^|]*\|\s*$", f"| {round(seconds)} s |\n", line)
    readme.write_text("".join(lines), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{os.cpu_count()} CPUs; budget {BUDGET_S} s a notebook\n")
    times = measure(paths)
    print(f"{'total':<42} {sum(times.values()):5.1f} s")
    if args.update_readme:
        update_readme(times)
    over = [n for n, s in times.items() if s > BUDGET_S]
    if over:
        print(f"over the {BUDGET_S} s budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
