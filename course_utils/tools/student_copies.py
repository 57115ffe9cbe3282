"""Student copies of the notebooks: outputs cleared, solutions and answer prose removed.

    course-student-copies                          # ./notebooks/*.ipynb -> ./student/
    course-student-copies --out DIR notebooks/04_history_and_validation.ipynb

Exercises use nbgrader's markers (docs/lesson_recipe.md): in a student copy the code
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes ``# YOUR CODE HERE``,
markdown cells that open with ``<details>`` (the answer prose) are dropped, and each
exercise's ``check_exercise`` cell stays, so a student runs it to check an answer. The
instructor's answer cells hide their source (``#@title`` first line, ``cellView: "form"``,
``jupyter.source_hidden``); a student copy shows them, with a plain ``# Exercise N: your
answer`` first line. The copy's title says it is a student copy, and its Colab badge is
dropped: the badge opens the instructor's notebook, solutions included, and ``student/``
is not published. ``student/`` is ignored by git: regenerate it before class.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

from . import find_notebooks
from .nbfmt import canonicalize

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "# YOUR CODE HERE"
ANSWER_PROSE = "<details>"
STUDENT_TITLE = " (student copy · 학생용)"
HIDDEN_TITLE = re.compile(r"^#\s*@title\s+(.*?)\s*(\(solution hidden[^)]*\))?\s*(\{.*\})?\s*$")
COLAB_BADGE = "colab.research.google.com"


def is_answer_cell(cell):
    return cell.cell_type == "code" and BEGIN in cell.source


def is_answer_prose(cell):
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith(ANSWER_PROSE)


def replace_solution(source, replacement=STUB):
    """``source`` with every solution block (markers included) replaced by ``replacement``."""
    out, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"source has '{BEGIN}' twice without '{END}'")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + r for r in replacement.splitlines())
        elif stripped == END:
            if not inside:
                raise ValueError(f"source has '{END}' without '{BEGIN}'")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"source has '{BEGIN}' without '{END}'")
    return "\n".join(out)


def shown_title(source):
    """``source`` with a hidden-cell first line ``#@title Exercise 1: your answer (solution
    hidden ...)`` turned into the plain comment ``# Exercise 1: your answer``."""
    first, _, rest = source.partition("\n")
    match = HIDDEN_TITLE.match(first)
    if not match:
        return source
    return f"# {match.group(1)}" + ("\n" + rest if rest else "")


def student_answer(source, replacement=STUB):
    """The answer cell's ``source`` as a student copy shows it: title plain, solution replaced."""
    return shown_title(replace_solution(source, replacement))


def mark_title(cell):
    """The title cell as a student copy shows it: marked as a copy, without the Colab badge."""
    lines = [line for line in cell.source.splitlines() if COLAB_BADGE not in line]
    for i, line in enumerate(lines):
        if line.startswith("# ") and not line.endswith(STUDENT_TITLE):
            lines[i] = line + STUDENT_TITLE
            break
    cell.source = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def make_student_copy(nb, answer="student"):
    """A copy of ``nb`` for class: outputs cleared, answer prose dropped, solutions replaced.

    ``answer="student"`` puts ``# YOUR CODE HERE`` where each solution was; ``"wrong"``
    puts the answer cell's ``metadata.exercise.wrong_answer`` there (the tests use it
    to show that each check catches a plausible mistake; they run each of
    ``metadata.exercise.shortcuts`` the same way, through :func:`student_answer`). The
    title gets ``(student copy · 학생용)`` and loses its Colab badge; answer cells show
    their source.
    """
    import nbformat

    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"nb must be a notebook read with nbformat, got {type(nb).__name__}")
    if answer not in ("student", "wrong"):
        raise ValueError(f"answer must be 'student' or 'wrong', got {answer!r}")
    student = copy.deepcopy(nb)
    student.cells = [c for c in student.cells if not is_answer_prose(c)]
    if student.cells and student.cells[0].cell_type == "markdown":
        mark_title(student.cells[0])
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if is_answer_cell(cell):
            replacement = STUB
            if answer == "wrong":
                replacement = cell.metadata.get("exercise", {}).get("wrong_answer")
                if not replacement:
                    raise ValueError("an answer cell has no metadata.exercise.wrong_answer")
            cell.source = student_answer(cell.source, replacement)
            cell.metadata.pop("cellView", None)
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if not cell.metadata.get("jupyter", True):
                cell.metadata.pop("jupyter")
        cell.metadata.pop("exercise", None)
    return canonicalize(student)


def write_student_copies(paths, out_dir):
    """Write a student copy of each notebook in ``paths`` into ``out_dir``; return the paths."""
    import nbformat

    out_dir = Path(out_dir)
    sources = [Path(p) for p in paths]
    for path in sources:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"paths must be existing .ipynb files, got {str(path)!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sources:
        target = out_dir / path.name
        nbformat.write(make_student_copy(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to copy (default: all in ./notebooks)")
    parser.add_argument("--out", type=Path, default=Path("student"),
                        help="folder for the copies (default: ./student)")
    args = parser.parse_args(argv)
    for target in write_student_copies(find_notebooks(args.notebooks), args.out):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
