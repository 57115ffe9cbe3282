"""Exercises check themselves: the format of docs/lesson_recipe.md, check_exercise, student copies.

tests/test_student_copies.py (run with --student-copies) executes the copies themselves.
"""

import re
from pathlib import Path

import nbformat
import pytest

from course_utils import check_exercise
from course_utils.tools.student_copies import (
    BEGIN,
    END,
    STUB,
    is_answer_cell,
    is_answer_prose,
    make_student_copy,
    replace_solution,
    write_student_copies,
)

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[1:]  # 00 has none
IDS = [p.name for p in LESSONS]
WRITES_KERAS = re.compile(r"keras\.|\.fit\(|\.compile\(|history\.history|\.summary\(")


def solution_of(source):
    return source.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")


def exercises(nb):
    """[(number, answer cell, check cell)] for every '### Exercise N' heading."""
    found = []
    for i, cell in enumerate(nb.cells):
        heading = re.match(r"### Exercise (\d+)", cell.source)
        if heading and cell.cell_type == "markdown":
            code = [c for c in nb.cells[i + 1:i + 4] if c.cell_type == "code"]
            found.append((int(heading.group(1)), *(code + [None, None])[:2]))
    return found


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_every_exercise_has_an_answer_cell_and_a_check_that_passes(path):
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    assert [n for n, *_ in found] == list(range(1, len(found) + 1)), "number exercises 1, 2, 3"
    assert 2 <= len(found) <= 3, f"expected 2-3 exercises, found {len(found)}"
    for n, answer, check in found:
        assert answer is not None and is_answer_cell(answer), (
            f"Exercise {n}: the code cell after the heading must hold '{BEGIN}' ... '{END}'")
        assert solution_of(answer.source).strip(), f"Exercise {n}: empty solution"
        assert answer.metadata.get("exercise", {}).get("wrong_answer", "").strip(), (
            f"Exercise {n}: the answer cell needs metadata.exercise.wrong_answer")
        assert check is not None and f'check_exercise("Exercise {n}"' in check.source, (
            f"Exercise {n}: next code cell must call check_exercise('Exercise {n}', …)")
        shown = "".join(o.get("text", "") for o in check.outputs)
        assert f"✓ Exercise {n}: correct." in shown, f"Exercise {n}: check fails on the solution"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_at_least_one_exercise_asks_for_keras_code(path):
    nb = nbformat.read(path, as_version=4)
    solutions = [solution_of(a.source) for _, a, _ in exercises(nb) if a is not None]
    assert any(WRITES_KERAS.search(s) for s in solutions), "no exercise asks for Keras code"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_student_copy_has_neither_solutions_nor_answer_prose(path):
    nb = nbformat.read(path, as_version=4)
    student = make_student_copy(nb)
    text = "\n".join(c.source for c in student.cells)
    for cell in nb.cells:
        if is_answer_cell(cell):
            assert solution_of(cell.source).strip() not in text
        if is_answer_prose(cell):
            assert cell.source not in text
    assert BEGIN not in text and END not in text and "<details>" not in text
    assert text.count(STUB) == sum(is_answer_cell(c) for c in nb.cells)
    assert all(c.outputs == [] and c.execution_count is None
               for c in student.cells if c.cell_type == "code")
    # every check cell survives
    assert text.count("check_exercise(") == nbformat.writes(nb).count("check_exercise(")


# -- check_exercise ----------------------------------------------------------------------

def test_check_exercise_reports_right_wrong_and_not_done(capsys):
    assert check_exercise("Exercise 1", 42, lambda: True, hint="h") is None  # prints only
    assert capsys.readouterr().out == "✓ Exercise 1: correct.\n"
    check_exercise("Exercise 1", 41, lambda: False, hint="think of 6 x 7")
    assert capsys.readouterr().out == "✗ Exercise 1: not right yet. Hint: think of 6 x 7\n"
    for empty in (None, ..., (1, None)):
        check_exercise("Exercise 2", empty, lambda: 1 / 0, hint="h")
        assert "… Exercise 2: not done yet" in capsys.readouterr().out


def test_check_exercise_turns_a_crash_into_a_hint(capsys):
    check_exercise("Exercise 3", [1], lambda: [1][5], hint="look at the length")
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise 3: not right yet (IndexError while checking).")
    assert out.rstrip().endswith("Hint: look at the length")


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"name": ""}, TypeError, "name must be a non-empty str"),
    ({"correct": True}, TypeError, "correct must be a callable"),
    ({"hint": None}, TypeError, "hint must be a non-empty str"),
])
def test_check_exercise_rejects_bad_arguments(kwargs, error, match):
    args = {"name": "Exercise 1", "answer": 1, "correct": lambda: True, "hint": "h", **kwargs}
    with pytest.raises(error, match=match):
        check_exercise(**args)


# -- student copies -----------------------------------------------------------------------

def test_replace_solution_keeps_the_lines_around_the_markers():
    src = f"x = None\n    {BEGIN}\n    x = 42\n    {END}\nprint(x)"
    assert replace_solution(src) == f"x = None\n    {STUB}\nprint(x)"
    assert replace_solution(src, "x = 1\ny = 2") == "x = None\n    x = 1\n    y = 2\nprint(x)"
    for broken in (f"{BEGIN}\nx = 1", f"x = 1\n{END}", f"{BEGIN}\n{BEGIN}\n{END}"):
        with pytest.raises(ValueError, match="SOLUTION"):
            replace_solution(broken)


def tiny_notebook():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    answer = new_code_cell(f"a = None\n{BEGIN}\na = 6 * 7\n{END}",
                           metadata={"exercise": {"wrong_answer": "a = 41"}})
    return new_notebook(cells=[
        new_markdown_cell("### Exercise 1"), answer,
        new_code_cell('check_exercise("Exercise 1", a, lambda: a == 42, hint="h")'),
        new_markdown_cell("<details><summary>Answer</summary>\n\nBecause.\n\n</details>"),
    ])


def test_make_student_copy_variants():
    nb = tiny_notebook()
    student = make_student_copy(nb)
    assert [c.cell_type for c in student.cells] == ["markdown", "code", "code"]
    assert student.cells[1].source == f"a = None\n{STUB}"
    assert "exercise" not in student.cells[1].metadata
    wrong = make_student_copy(nb, answer="wrong")
    assert wrong.cells[1].source == "a = None\na = 41"
    assert nb.cells[1].source.count(BEGIN) == 1  # the original is untouched
    with pytest.raises(ValueError, match="answer must be 'student' or 'wrong'"):
        make_student_copy(nb, answer="solution")
    with pytest.raises(TypeError, match="nb must be a notebook"):
        make_student_copy({"cells": []})


def test_student_copies_command_writes_every_notebook(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "course_utils.tools.student_copies", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    all_notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in all_notebooks]
    for path in tmp_path.glob("*.ipynb"):
        nbformat.validate(nbformat.read(path, as_version=4))
    with pytest.raises(ValueError, match="paths must be existing .ipynb files"):
        write_student_copies([tmp_path / "missing.ipynb"], tmp_path)
