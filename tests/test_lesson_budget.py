"""Each lesson fits a one-hour slot: its main path stays within the budget of docs/lesson_recipe.md.

The main path is every cell except an optional "## Under the hood (optional)" section at
the end and the exercises' answer prose (the ``<details>`` cells a student copy drops: read
after class, not in it). Run this file directly to print each notebook's figures:
``python tests/test_lesson_budget.py [notebooks/NN_*.ipynb ...]``.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.tools.student_copies import is_answer_prose

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_WORDS = 1500
MAX_CODE_LINES = 200
MAX_MINUTES = 60
UNDER_THE_HOOD = "## Under the hood (optional)"
ESTIMATE = re.compile(r"^⏱ Estimated time · 예상 시간: (\d+) min$", flags=re.M)


def main_path(nb):
    """The cells a lecture goes through: everything before 'Under the hood'."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(UNDER_THE_HOOD):
            break
        cells.append(cell)
    return cells


def budget(path):
    """(prose words, non-blank code lines, estimated minutes or None) of a notebook's main path."""
    nb = nbformat.read(path, as_version=4)
    cells = main_path(nb)
    words = sum(len(c.source.split()) for c in cells
                if c.cell_type == "markdown" and not is_answer_prose(c))
    lines = sum(1 for c in cells if c.cell_type == "code"
                for line in c.source.splitlines() if line.strip())
    found = ESTIMATE.search(nb.cells[0].source)
    return words, lines, int(found.group(1)) if found else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_main_path_fits_one_hour(path):
    words, lines, minutes = budget(path)
    assert words <= MAX_WORDS, f"{words} words of prose on the main path (budget {MAX_WORDS})"
    assert lines <= MAX_CODE_LINES, f"{lines} lines of code on the main path ({MAX_CODE_LINES})"
    assert minutes is not None, "title cell needs '⏱ Estimated time · 예상 시간: NN min'"
    assert 10 <= minutes <= MAX_MINUTES, f"estimated {minutes} min (at most {MAX_MINUTES})"


def test_under_the_hood_comes_last():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        rest = nb.cells[len(main_path(nb)):]
        later_h2 = [c.source.splitlines()[0] for c in rest[1:] if c.cell_type == "markdown"
                    and c.source.startswith("## ")]
        assert not later_h2, f"{path.name}: '{UNDER_THE_HOOD}' must be the last section"


def test_budget_counts_what_it_should(tmp_path):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[
        new_markdown_cell("# 99 · T\n\n⏱ Estimated time · 예상 시간: 45 min"),
        new_code_cell("a = 1\n\nb = 2"),
        new_markdown_cell(UNDER_THE_HOOD + "\n\nnot counted at all"),
        new_code_cell("c = 3"),
    ])
    path = tmp_path / "99_t.ipynb"
    nbformat.write(nb, path)
    assert budget(path) == (12, 2, 45)


if __name__ == "__main__":
    for p in [Path(a) for a in sys.argv[1:]] or NOTEBOOKS:
        w, n, m = budget(p)
        print(f"{p.name}: {w} words, {n} code lines, estimated {m} min")
