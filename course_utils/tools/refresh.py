"""Re-execute notebooks in place, top to bottom, to refresh their stored outputs.

    course-refresh                                          # every notebook in ./notebooks
    course-refresh notebooks/02_extra_epoch_fitting.ipynb   # one or more

Each notebook runs in a fresh kernel of *this* Python environment with the notebook's
folder as working directory, like ``pytest --nbval``, and is written in the form
JupyterLab saves (``course-nbfmt``). Each notebook's wall time is printed; the README's
runtime column comes from ``tests/benchmarks/notebook_runtimes.py`` instead, which
measures without writing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import find_notebooks
from .nbfmt import canonicalize

KERNEL_NAME = "python3"


def run_notebook(nb, cwd, timeout=600, *, backend=None):
    """Execute the notebook object ``nb`` in a fresh kernel; return the seconds it took.

    ``backend`` sets ``KERAS_BACKEND`` in the kernel's environment only (the setup
    cell's ``os.environ.setdefault`` leaves it alone); ``None`` keeps this process's.
    """
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": str(cwd)}}, record_timing=False)
    env = {**os.environ, "KERAS_BACKEND": backend} if backend else None
    start = time.perf_counter()
    client.execute(**({"env": env} if env else {}))
    return time.perf_counter() - start


def execute_notebook(path, timeout=600):
    """Execute ``path`` in place; return the seconds it took."""
    import nbformat

    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    try:
        run_notebook(nb, path.parent, timeout)
    finally:  # on an error too, so the failing cell's traceback can be read in the file
        elapsed = time.perf_counter() - start
        nbformat.write(canonicalize(nb), path)
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to refresh (default: all in ./notebooks)")
    args = parser.parse_args(argv)
    for path in find_notebooks(args.notebooks):
        print(f"executing {path} ...", flush=True)
        print(f"  done in {execute_notebook(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
