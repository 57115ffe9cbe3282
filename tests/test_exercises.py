"""Exercises check themselves: the format of docs/lesson_recipe.md, check_exercise, student copies.

tests/test_student_copies.py (run with --student-copies) executes the copies themselves.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import check_exercise
from course_utils.exercises import (
    Hint,
    answer_source,
    code_names,
    digest,
    exercise_summary,
    forbid,
    get_grader,
    set_language,
)
from course_utils.tools.student_copies import (
    BEGIN,
    END,
    STUB,
    STUDENT_TITLE,
    is_answer_cell,
    is_answer_prose,
    make_student_copy,
    replace_solution,
    student_answer,
    write_student_copies,
)

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[1:]  # 00 has none
IDS = [p.name for p in LESSONS]
WRITES_KERAS = re.compile(r"keras\.|\.fit\(|\.compile\(|history\.history|\.summary\(")


def solution_of(source):
    return source.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")


def lesson_of(path):
    return Path(path).name[:2]


def solution_lines(source):
    """The solution's lines that would give it away: code, not comments or brackets."""
    lines = (line.split("  #")[0].strip() for line in solution_of(source).splitlines())
    return [line for line in lines if len(line) >= 12 and not line.startswith("#")]


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
        meta = answer.metadata.get("exercise", {})
        assert meta.get("wrong_answer", "").strip(), (
            f"Exercise {n}: the answer cell needs metadata.exercise.wrong_answer")
        assert meta.get("shortcuts") and all(s.strip() for s in meta["shortcuts"]), (
            f"Exercise {n}: the answer cell needs metadata.exercise.shortcuts (a list of sources)")
        assert check is not None and f'check_exercise("Exercise {n}"' in check.source, (
            f"Exercise {n}: next code cell must call check_exercise('Exercise {n}', …)")
        grader_id = f"{lesson_of(path)}.{n}"
        assert f'"{grader_id}"' in check.source, f"Exercise {n}: grade with {grader_id!r}"
        get_grader(grader_id)  # registered
        shown = "".join(o.get("text", "") for o in check.outputs)
        assert f"✓ Exercise {n}: correct." in shown, f"Exercise {n}: check fails on the solution"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_solutions_are_hidden_until_asked_for(path):
    """JupyterLab collapses source_hidden cells; Colab shows a cellView 'form' cell as its
    #@title only. A learner alone with the instructor's notebook clicks to see a solution."""
    for n, answer, _ in exercises(nbformat.read(path, as_version=4)):
        assert answer.metadata.get("jupyter", {}).get("source_hidden") is True, n
        assert answer.metadata.get("cellView") == "form", n
        first = answer.source.splitlines()[0]
        assert first.startswith(f"#@title Exercise {n}: your answer"), (n, first)
        assert student_answer(answer.source).splitlines()[0] == f"# Exercise {n}: your answer"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_no_check_cell_or_hint_contains_a_line_of_its_solution(path):
    nb = nbformat.read(path, as_version=4)
    hints = grader_hints()
    for n, answer, check in exercises(nb):
        shown = check.source + "\n".join(hints.get(f"{lesson_of(path)}.{n}", []))
        leaked = [line for line in solution_lines(answer.source) if line in shown]
        assert not leaked, f"Exercise {n}: the check or a hint shows {leaked}"


def grader_hints():
    """{grader id: [every Hint text of that grader]}, read from course_utils/graders.py."""
    tree = ast.parse((ROOT / "course_utils" / "graders.py").read_text(encoding="utf-8"))
    found = {}
    for func in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        ids = [d.args[0].value for d in func.decorator_list
               if isinstance(d, ast.Call) and getattr(d.func, "id", "") == "grader"]
        texts = [c.value for node in ast.walk(func) if isinstance(node, ast.Call)
                 and getattr(node.func, "id", "") == "Hint"
                 for c in [*node.args, *(k.value for k in node.keywords)]
                 if isinstance(c, ast.Constant)]
        for grader_id in ids:
            found[grader_id] = texts
    return found


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_each_lesson_ends_its_exercises_with_a_summary(path):
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    calls = [c for c in nb.cells if c.cell_type == "code" and "exercise_summary(" in c.source]
    assert len(calls) == 1 and f'exercise_summary("{lesson_of(path)}")' in calls[0].source
    assert nb.cells.index(calls[0]) > nb.cells.index(found[-1][2]), "after the last check"
    shown = "".join(o.get("text", "") for o in calls[0].outputs)
    assert shown.count(": done") == len(found), shown


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
    # marked as a student copy, with no badge that opens the instructor's notebook
    title = student.cells[0].source
    assert title.splitlines()[0].endswith(STUDENT_TITLE)
    assert "colab.research.google.com" not in text and "#@title" not in text
    assert not any(c.metadata.get("cellView") or c.metadata.get("jupyter", {}).get("source_hidden")
                   for c in student.cells)


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


def test_check_exercise_speaks_korean_when_asked(capsys):
    try:
        set_language("ko")
        check_exercise("Exercise 1", 42, lambda: True, hint="h")
        check_exercise("Exercise 2", 41, lambda: False, hint="6 x 7")
        check_exercise("Exercise 3", None, lambda: True, hint="h")
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "✓ 연습문제 1: 정답입니다."
        assert out[1] == "✗ 연습문제 2: 아직 아닙니다. 힌트: 6 x 7"
        assert out[2].startswith("… 연습문제 3: 아직 풀지 않았습니다")
        check_exercise("Exercise 2", 1, lambda: _raise(Hint("english", ko="한국어")), hint="h")
        assert capsys.readouterr().out == "✗ 연습문제 2: 아직 아닙니다. 힌트: 한국어\n"
    finally:
        set_language("en")
    with pytest.raises(ValueError, match="language must be 'en' or 'ko'"):
        set_language("fr")


def test_a_korean_exercise_name_makes_the_kernel_speak_korean(capsys):
    from course_utils.exercises import exercise_summary

    try:
        check_exercise("연습문제 1", 42, lambda: True, hint="h")
        check_exercise("Exercise 2", 41, lambda: False, hint="다시")
        exercise_summary(["Exercise 1", "연습문제 2", "Exercise 3"])
        assert capsys.readouterr().out.splitlines() == [
            "✓ 연습문제 1: 정답입니다.", "✗ 연습문제 2: 아직 아닙니다. 힌트: 다시",
            "이 노트북의 연습문제:", "  ✓ 연습문제 1: 완료", "  ✗ 연습문제 2: 아직 아닙니다",
            "  … 연습문제 3: 아직 풀지 않았습니다"]
    finally:
        set_language("en")


def _raise(exc):
    raise exc


def test_a_grader_hint_replaces_the_cell_hint(capsys):
    check_exercise("Exercise 4", 1, lambda: _raise(Hint("count by hand")), hint="cell hint")
    assert capsys.readouterr().out == "✗ Exercise 4: not right yet. Hint: count by hand\n"


def test_exercise_summary_lists_done_wrong_and_not_yet(capsys):
    names = ["Exercise 7", "Exercise 8", "Exercise 9"]
    check_exercise("Exercise 7", 1, lambda: True, hint="h")
    check_exercise("Exercise 8", 1, lambda: False, hint="h")
    capsys.readouterr()
    exercise_summary(names)
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  ✓ Exercise 7: done", "  ✗ Exercise 8: not right yet", "  … Exercise 9: not done yet"]
    check_exercise("Exercise 8", None, lambda: True, hint="h")  # emptied again: not done
    capsys.readouterr()
    exercise_summary(names)
    assert "… Exercise 8: not done yet" in capsys.readouterr().out
    exercise_summary("04")  # a lesson number: its graded exercises
    assert "Exercise 2" in capsys.readouterr().out
    for bad in ("4", [], 3):
        with pytest.raises((TypeError, ValueError)):
            exercise_summary(bad)


def test_a_grader_by_id_sees_the_notebook_names(capsys):
    # the grader of 06.2 reads versions and condition_number from the caller's namespace
    import numpy as np

    globals()["versions"] = {"min-max 0..1": np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.2]])}
    globals()["condition_number"] = np.linalg.cond
    try:
        mm = versions["min-max 0..1"]  # noqa: F821
        check_exercise("Exercise 2", (mm - mm.mean(axis=0), np.linalg.cond(mm - mm.mean(axis=0))),
                       "06.2", hint="h")
        check_exercise("Exercise 2", (mm - mm.mean(), 1.0), "06.2", hint="h")
        assert capsys.readouterr().out.splitlines() == [
            "✓ Exercise 2: correct.", "✗ Exercise 2: not right yet. Hint: h"]
    finally:
        del globals()["versions"], globals()["condition_number"]
    with pytest.raises(ValueError, match="no grader for exercise '99.1'"):
        check_exercise("Exercise 1", 1, "99.1", hint="h")


def test_forbid_reads_the_latest_answer_cell_in_the_history():
    ns = {"In": ["", "# Exercise 1: your answer\nn = model.count_params()",
                 "check_exercise(...)", "# Exercise 1: your answer\nn = 3 * 8 + 8  # count_params"]}
    assert answer_source("Exercise 1", ns).endswith("# count_params")
    forbid("Exercise 1", ns, {"count_params"}, Hint("h"))  # a comment is not a call
    ns["In"].append("# Exercise 1: your answer\nn = model.count_params()")
    with pytest.raises(Hint):
        forbid("Exercise 1", ns, {"count_params"}, Hint("h"))
    assert answer_source("Exercise 1", {}) is None  # outside IPython: nothing to read
    assert code_names("x = a.b(c)  # d") == {"x", "a", "b", "c"}


def test_digest_hides_a_number_but_matches_it():
    assert digest(73) == digest(73.0) != digest(60)
    assert "73" not in digest(73)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"name": ""}, TypeError, "name must be a non-empty str"),
    ({"correct": True}, TypeError, "correct must be a callable"),
    ({"correct": "4.2"}, ValueError, "no grader for exercise"),
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

    answer = new_code_cell(
        f"#@title Exercise 1: your answer (solution hidden: click to show)\na = None\n{BEGIN}\n"
        f"a = 6 * 7\n{END}",
        metadata={"exercise": {"wrong_answer": "a = 41"}, "cellView": "form",
                  "jupyter": {"source_hidden": True}})
    badge = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
             "(https://colab.research.google.com/github/o/r/blob/main/notebooks/01_x.ipynb)")
    return new_notebook(cells=[
        new_markdown_cell(f"# 01 · Title\n\nOne sentence.\n\n{badge}\n\nTerms."),
        new_markdown_cell("### Exercise 1"), answer,
        new_code_cell('check_exercise("Exercise 1", a, lambda: a == 42, hint="h")'),
        new_markdown_cell("<details><summary>Answer</summary>\n\nBecause.\n\n</details>"),
    ])


def test_make_student_copy_variants():
    nb = tiny_notebook()
    student = make_student_copy(nb)
    assert [c.cell_type for c in student.cells] == ["markdown", "markdown", "code", "code"]
    assert student.cells[0].source == ("# 01 · Title (student copy · 학생용)\n\nOne sentence."
                                       "\n\nTerms.")
    assert student.cells[2].source == f"# Exercise 1: your answer\na = None\n{STUB}"
    assert student.cells[2].metadata == {}
    wrong = make_student_copy(nb, answer="wrong")
    assert wrong.cells[2].source == "# Exercise 1: your answer\na = None\na = 41"
    assert nb.cells[2].source.count(BEGIN) == 1  # the original is untouched
    assert nb.cells[2].metadata["cellView"] == "form"
    assert make_student_copy(student).cells[0].source == student.cells[0].source  # once
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
