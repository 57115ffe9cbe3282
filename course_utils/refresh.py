"""Re-execute notebooks in place, top to bottom, to refresh their stored outputs.

Usage (from the repository root, in the pinned environment; see the README)::

    python -m course_utils.refresh                 # every notebook
    python -m course_utils.refresh notebooks/01_extra_epoch_fitting.ipynb

Each notebook runs in a fresh kernel of *this* Python environment with the notebook's
folder as working directory, like ``pytest --nbval``. The JSON is then written in a
canonical form (stable cell ids, no run timestamps, sorted keys) so that a diff shows
only what the lesson changed. The wall time of each notebook is printed at the end:
these are the runtimes the README's notebook table quotes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL_NAME = "python3"


def canonicalize(nb):
    """Stable cell ids, minimal metadata: the same notebook always serializes the same."""
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL_NAME},
        "language_info": {"name": "python"},
        **({"colab": nb.metadata["colab"]} if "colab" in nb.metadata else {}),
    }
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("needs_background", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def execute_notebook(path, timeout=600):
    """Execute ``path`` in place; return the seconds it took."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    nb = nbformat.read(path, as_version=4)
    canonicalize(nb)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:  # on an error too, so the failing cell's traceback can be read in the file
        elapsed = time.perf_counter() - start
        canonicalize(nb)
        nbformat.write(nb, path)
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to refresh (default: all in notebooks/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        parser.error(f"no notebooks found in {NOTEBOOK_DIR}")
    times = {}
    for path in paths:
        print(f"executing {path} ...", flush=True)
        times[path.name] = execute_notebook(path)
        print(f"  done in {times[path.name]:.1f} s", flush=True)
    print("\nnotebook | seconds")
    for name, seconds in times.items():
        print(f"{name} | {seconds:.1f}")
    print(f"total | {sum(times.values()):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
