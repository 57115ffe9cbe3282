"""Each helper's docstring names the notebook that introduces it, and that stays true."""

import inspect
import re
from pathlib import Path

import nbformat
import pytest

import course_utils

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def first_notebook_using(name):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        if re.search(rf"\b{name}\b", code):
            return path.name[:2]
    return None


@pytest.mark.parametrize("name", course_utils.__all__)
def test_introduced_in_names_the_first_notebook_that_uses_it(name):
    doc = inspect.getdoc(getattr(course_utils, name)) or ""
    claimed = re.search(r"Introduced in notebook (\d\d)", doc)
    first = first_notebook_using(name)
    if first is None:
        assert claimed is None or claimed.group(1) == "00", (
            f"{name} is used by no notebook, yet its docstring says {claimed.group(0)}")
        return
    assert claimed, f"{name}: docstring lacks 'Introduced in notebook {first}'"
    assert claimed.group(1) == first, (
        f"{name}: docstring says notebook {claimed.group(1)}, first used in notebook {first}")
