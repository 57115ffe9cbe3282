"""course-assert-margins: the values each lesson assert compares, per backend, and --write."""

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.tools.assert_margins import (
    assert_lines,
    compared,
    main,
    margin,
    measure,
    report,
    write_margins,
)


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


def test_margin_shows_the_varying_side_or_the_whole_chain():
    one = {"tensorflow": [["0.7", 0.7], ["ratio", 0.8612], ["1", 1.0]],
           "jax": [["0.7", 0.7], ["ratio", 0.9104], ["1", 1.0]]}
    assert margin("0.7 < ratio < 1", one) == "tensorflow 0.861 · jax 0.910"
    chain = {"tensorflow": [["a", 0.88], ["b", 1.33], ["c", 1.94]],
             "jax": [["a", 0.85], ["b", 1.57], ["c", 2.56]]}
    assert margin("a < b <= c", chain) == "tensorflow 0.88 < 1.33 ≤ 1.94 · jax 0.85 < 1.57 ≤ 2.56"
    both = {"tensorflow": [["n", 39.0], ["k", 75.0], ["x", 2.0], ["2", 2.0]],
            "jax": [["n", 33.0], ["k", 75.0], ["x", 2.0], ["2", 2.0]]}
    assert margin("n <= k and x == 2", both) == "tensorflow 39 · jax 33"
    same = {b: [["x", 2.0], ["2", 2.0]] for b in ("tensorflow", "jax")}
    assert margin("x == 2", same) is None  # the same on every backend: nothing to show


def test_write_stores_one_margin_per_assert_line_whose_values_differ(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("loss = 0.2"),
        new_code_cell("assert loss < 0.5, 'trains'\nassert 1 == 1"),
        new_code_cell("x = 1", metadata={"assert_margins": {"assert x > 0": "stale"}}),
    ])
    path = tmp_path / "99_write.ipynb"
    nbformat.write(nb, path)
    tests = compared(nb.cells[1].source)
    measured = {
        "tensorflow": [(1, [tests[0][0], [["loss", 0.2], ["0.5", 0.5]]]),
                       (1, [tests[1][0], [["1", 1.0], ["1", 1.0]]])],
        "jax": [(1, [tests[0][0], [["loss", 0.31], ["0.5", 0.5]]]),
                (1, [tests[1][0], [["1", 1.0], ["1", 1.0]]])],
    }
    assert write_margins(path, measured) == 1
    accuracy = {"tensorflow": [["a", 1.0], ["0.9", 0.9]], "jax": [["a", 0.9667], ["0.9", 0.9]]}
    assert margin("a >= 0.9", accuracy) == "tensorflow 1.000 · jax 0.967"
    cells = nbformat.read(path, as_version=4).cells
    assert cells[1].metadata["assert_margins"] == {
        "assert loss < 0.5, 'trains'": "tensorflow 0.20 · jax 0.31"}
    assert "assert_margins" not in cells[2].metadata  # no assert left: the stale entry goes
    assert list(assert_margins_keys(cells[1])) == assert_lines(cells[1].source)[:1]


def assert_margins_keys(cell):
    return cell.metadata.get("assert_margins", {})


def test_write_needs_two_backends(capsys):
    with pytest.raises(SystemExit):
        main(["notebooks/01_neural_network_basics.ipynb", "--write", "--backends", "jax"])
    assert "at least two" in capsys.readouterr().err
