"""Generate student copies of the notebooks for live coding in class.

    python -m course_utils.student_copies              # notebooks/*.ipynb -> student/
    python -m course_utils.student_copies --out DIR notebooks/03_history_and_validation.ipynb

A student copy keeps every markdown and code cell but has all outputs cleared, and each
exercise solution (a code cell that starts with ``# Solution``) replaced by an empty
cell with a prompt, so learners type along and try the exercises themselves.
``student/`` is ignored by git: regenerate it before class.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .refresh import NOTEBOOK_DIR, canonicalize

SOLUTION_MARK = "# Solution"
PROMPT = "# Your turn: write your solution here, then run the cell.\n"


def make_student_copy(nb):
    """Return a copy of ``nb`` with outputs cleared and solution cells replaced by a prompt."""
    import copy

    import nbformat

    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"nb must be a notebook read with nbformat, got {type(nb).__name__}")
    student = copy.deepcopy(nb)
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if cell.source.lstrip().startswith(SOLUTION_MARK):
            cell.source = PROMPT
    return canonicalize(student)


def write_student_copies(paths, out_dir):
    """Write a student copy of each notebook in ``paths`` into ``out_dir``; return the paths."""
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        path = Path(path)
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"paths must be existing .ipynb files, got {str(path)!r}")
        target = out_dir / path.name
        nbformat.write(make_student_copy(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=NOTEBOOK_DIR.parent / "student")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    for target in write_student_copies(paths, args.out):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
