"""Every student copy runs top to bottom, and every check tells right from wrong.

Opt-in (`pytest --student-copies tests/test_student_copies.py`; CI runs it after the
main suite), because it executes every notebook once more. For each lesson, in one kernel:

1. the student copy runs top to bottom without an error, and each exercise's check says
   "not done yet";
2. then, exercise by exercise, the plausible wrong answer and each shortcut a learner
   would try (``metadata.exercise.wrong_answer`` and ``.shortcuts``: the library's own value
   for a "by hand" task, zeros, a mismatched permutation...) make the check print a hint,
   never ✓, and the instructor's solution makes it print ✓;
3. the lesson's summary lists every exercise as not done before, and done after.
"""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from test_exercises import LESSONS, exercises

from course_utils.tools.student_copies import is_answer_cell, make_student_copy, student_answer

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(autouse=True)
def _opt_in(request):
    if not request.config.getoption("--student-copies"):
        pytest.skip("executes every notebook again: run with --student-copies")


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def errors_in(cells, stderr=True):
    """(cell start, error name) of each error output, and of each stderr output if ``stderr``."""
    return [(c.source[:60], o.get("ename")) for c in cells if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error" or (stderr and o.get("name") == "stderr")]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_student_copy_runs_and_each_check_tells_right_from_wrong(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    student = make_student_copy(nb)
    wrong = make_student_copy(nb, answer="wrong")
    client = NotebookClient(student, kernel_name="python3", timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(NB_DIR)}})

    def run(source):
        cell = new_code_cell(source)
        student.cells.append(cell)
        client.execute_cell(cell, len(student.cells) - 1)
        return text_of(cell)

    with client.setup_kernel():
        for index, cell in enumerate(list(student.cells)):
            client.execute_cell(cell, index)
        assert not errors_in(student.cells), errors_in(student.cells)
        for n, _, check in exercises(student):
            assert f"… Exercise {n}: not done yet" in text_of(check)
        summary = next(c for c in student.cells if "exercise_summary(" in c.source)
        assert text_of(summary).count("not done yet") == len(exercises(student)), text_of(summary)
        for (n, answer, check), (_, wrong_answer, _) in zip(exercises(nb), exercises(wrong)):
            assert is_answer_cell(answer)
            tries = {"the wrong answer": wrong_answer.source}
            for k, shortcut in enumerate(answer.metadata["exercise"]["shortcuts"], 1):
                tries[f"shortcut {k}"] = student_answer(answer.source, shortcut)
            for what, source in tries.items():
                shown = run(source) + run(check.source)
                assert f"✗ Exercise {n}: not right yet" in shown and "Hint:" in shown, (
                    f"Exercise {n}: {what} was not caught: {shown!r}")
            shown = run(answer.source) + run(check.source)
            assert f"✓ Exercise {n}: correct." in shown, f"Exercise {n}: {shown!r}"
        assert run(summary.source).count(": done") == len(exercises(nb))
        # a wrong answer may warn (Keras warns of a softmax over one unit), never raise
        assert not errors_in(student.cells, stderr=False), errors_in(student.cells, stderr=False)
