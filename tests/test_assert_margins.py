"""course-assert-margins: the values each lesson assert compares, per backend."""

import os

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.tools.assert_margins import compared, measure, report


def test_finds_both_sides_of_every_comparison_but_not_inside_comprehensions():
    source = ("x = 3\n"
              "assert 0.5 < x / 2 < 2 and y > 1.15 * z, 'message'\n"
              "assert all(v < 1 for v in values)\n"
              "%matplotlib inline\n")
    assert compared(source) == []  # not Python (an IPython magic): nothing to probe
    found = compared(source.replace("%matplotlib inline\n", ""))
    assert found == [("0.5 < x / 2 < 2 and y > 1.15 * z", ["0.5", "x / 2", "2", "y", "1.15 * z"]),
                     ("all(v < 1 for v in values)", [])]


def test_measures_the_values_in_a_kernel_and_reports_them(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nlosses = np.array([0.9, 0.4, 0.25])"),
        new_code_cell("assert losses[-1] < 0.5 * losses[0]\nassert losses.argmin() == 2"),
    ])
    path = tmp_path / "99_probe.ipynb"
    nbformat.write(nb, path)
    values = measure(path, "tensorflow")
    assert values == [
        ["losses[-1] < 0.5 * losses[0]", [["losses[-1]", 0.25], ["0.5 * losses[0]", 0.45]]],
        ["losses.argmin() == 2", [["losses.argmin()", 2.0], ["2", 2.0]]],
    ]
    lines = report({"tensorflow": values, "jax": values})
    assert lines[:2] == ["assert losses[-1] < 0.5 * losses[0]",
                         "    losses[-1]: tensorflow 0.25 · jax 0.25"]
    assert nbformat.read(path, as_version=4).cells[1].outputs == []  # the file is left alone


def test_the_backend_reaches_the_kernel_only(tmp_path):
    nb = new_notebook(cells=[new_code_cell(
        "import os\nbackend = os.environ['KERAS_BACKEND']\nassert backend in ('jax', 'torch')")])
    path = tmp_path / "99_backend.ipynb"
    nbformat.write(nb, path)
    before = os.environ.get("KERAS_BACKEND")
    assert measure(path, "jax")[0][1][0] == ["backend", "'jax'"]  # Keras is not imported
    assert os.environ.get("KERAS_BACKEND") == before  # this process keeps its backend
