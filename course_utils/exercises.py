"""``check_exercise``: the check cell under every exercise, in instructor and student copies.

An exercise in this course has four parts (docs/lesson_recipe.md shows one whole):

1. the **answer cell**: the learner's code, with the instructor's solution between
   nbgrader's markers ``### BEGIN SOLUTION`` and ``### END SOLUTION``; lines above the
   markers set the answer's names to ``None`` so an empty answer is "not done yet". In
   the instructor's notebook its source is hidden until clicked (JupyterLab:
   ``metadata.jupyter.source_hidden``; Colab: ``metadata.cellView = "form"`` with a
   ``#@title`` first line), so a learner studying alone sees no solution by accident;
2. the **check cell**: ``check_exercise(name, answer, correct, hint)``, which survives
   into the student copy;
3. optionally a collapsed ``<details>`` block with the answer prose, which the student
   copy drops;
4. after a lesson's last exercise, ``exercise_summary("NN")`` lists each exercise as
   done, not right yet, or not done yet.

The check says plainly whether the answer is right, gives a hint when it is not, and
never prints the solution. It never raises either, so a student copy runs top to bottom
with every unanswered exercise reporting "not done yet".

``correct`` is a function of the learner's objects, or the id of a grader in
:mod:`course_utils.graders` (``"04.2"``: lesson 04, exercise 2). A grader keeps the
expected values out of the visible check cell, and detects the shortcuts a learner may
try (the library's own value for a "by hand" task, all-zero flags, a mismatched
permutation): a grader raises :class:`Hint` to say which idea a shortcut missed.

Languages. The fixed messages exist in English and Korean; choose once per kernel::

    from course_utils.exercises import set_language
    set_language("ko")   # ✓ 연습문제 1: 정답입니다. / ✗ 연습문제 1: 아직 아닙니다. 힌트: …

(or set the environment variable ``COURSE_LANGUAGE=ko`` before the kernel starts). A
check whose exercise name is Korean (``"연습문제 1"``, as the Korean edition of a notebook
writes it) switches the kernel to Korean too, so the Korean edition needs no other code.
The hint passed to ``check_exercise`` is printed as given: the Korean edition passes a
Korean hint. Introduced in notebook 01.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sys

from ._checks import check_choice, check_str

LANGUAGES = ("en", "ko")
MESSAGES = {
    "en": {
        "exercise": "Exercise",
        "correct": "✓ {name}: correct.",
        "wrong": "✗ {name}: not right yet. Hint: {hint}",
        "crashed": "✗ {name}: not right yet ({error} while checking). Hint: {hint}",
        "not_done": "… {name}: not done yet. Write your answer in the cell above, run it, "
                    "then run this check again.",
        "summary": "Your exercises in this notebook:",
        "status": {"done": "✓ {name}: done", "wrong": "✗ {name}: not right yet",
                   "not done": "… {name}: not done yet"},
    },
    "ko": {
        "exercise": "연습문제",
        "correct": "✓ {name}: 정답입니다.",
        "wrong": "✗ {name}: 아직 아닙니다. 힌트: {hint}",
        "crashed": "✗ {name}: 아직 아닙니다 (확인 중 {error} 발생). 힌트: {hint}",
        "not_done": "… {name}: 아직 풀지 않았습니다. 위 셀에 답을 쓰고 실행한 뒤, "
                    "이 확인 셀을 다시 실행하세요.",
        "summary": "이 노트북의 연습문제:",
        "status": {"done": "✓ {name}: 완료", "wrong": "✗ {name}: 아직 아닙니다",
                   "not done": "… {name}: 아직 풀지 않았습니다"},
    },
}
NOT_DONE = "not done yet"

_settings = {"language": "ko" if os.environ.get("COURSE_LANGUAGE") == "ko" else "en"}
_results = {}   # exercise name -> "done" | "wrong", filled by check_exercise in this kernel
_graders = {}   # "NN.k" -> grader(answers, namespace), filled by course_utils.graders


def set_language(language):
    """Print the fixed messages of checks and summaries in ``"en"`` or ``"ko"`` from now on."""
    _settings["language"] = check_choice("language", language, LANGUAGES)


def _text(key):
    return MESSAGES[_settings["language"]][key]


def _display_name(name):
    """``"Exercise 2"`` as the current language writes it (``"연습문제 2"``)."""
    match = re.fullmatch(r"Exercise (\d+)", name)
    return f"{_text('exercise')} {match.group(1)}" if match else name


def _key(name):
    """The name a result is kept under: ``"연습문제 2"`` and ``"Exercise 2"`` are one exercise."""
    match = re.fullmatch(r"(?:Exercise|연습문제) (\d+)", name.strip())
    return f"Exercise {match.group(1)}" if match else name


HANGUL = re.compile("[\uac00-\ud7a3]")


class Hint(Exception):
    """Raised by a grader: the answer is not right, and this hint says which idea it missed.

    ``Hint("english", ko="한국어")``: the hint in each language (English when no Korean).
    """

    def __init__(self, en, ko=None):
        super().__init__(en)
        self.texts = {"en": en, "ko": ko or en}

    def text(self):
        return self.texts[_settings["language"]]


def _is_missing(value):
    return value is None or value is Ellipsis


def check_exercise(name, answer, correct, hint):
    """Print whether an exercise's answer is right (and return nothing, so a check cell
    shows only that sentence).

    Parameters
    ----------
    name : str
        What the learner sees, e.g. ``"Exercise 1"``.
    answer : object, or tuple of objects
        The learner's answer (one value, or a tuple of all the names the exercise asks
        for). ``None`` or ``...`` anywhere in it means the exercise is not done yet.
    correct : callable or str
        A function called with no argument only when the answer is there, returning
        truthy when the answer is right; or the id of a grader of
        :mod:`course_utils.graders` (``"04.2"``), called with the answers and the
        notebook's namespace. Either may raise :class:`Hint` (this hint is printed
        instead of ``hint``) or any other error (a wrong shape, a missing key): that
        counts as "not right yet", with the hint.
    hint : str
        One sentence pointing at the idea, printed when the answer is not right.

    Introduced in notebook 01; used under every exercise.
    """
    check_str("name", name.strip() if isinstance(name, str) else name, example="'Exercise 1'")
    if isinstance(correct, str):
        grader = get_grader(correct)
        namespace = sys._getframe(1).f_globals  # the notebook's names, for the grader
        answers = answer if isinstance(answer, tuple) else (answer,)
        correct = lambda: grader(answers, namespace)  # noqa: E731
    if not callable(correct):
        raise TypeError("correct must be a callable returning True or False, or a grader "
                        f"id, got {correct!r}")
    check_str("hint", hint.strip() if isinstance(hint, str) else hint,
              example="'a sentence pointing at the idea'")
    if HANGUL.search(name):  # the Korean edition: Korean messages from here on
        _settings["language"] = "ko"
    name = _key(name)
    shown = _display_name(name)
    answers = answer if isinstance(answer, tuple) else (answer,)
    if any(_is_missing(a) for a in answers):
        _results.pop(name, None)
        print(_text("not_done").format(name=shown))
        return
    try:
        ok = bool(correct())
    except Hint as exc:
        ok, hint = False, exc.text()
    except Exception as exc:  # a learner's answer can fail in any way; say which, kindly
        _results[name] = "wrong"
        print(_text("crashed").format(name=shown, error=type(exc).__name__, hint=hint))
        return
    _results[name] = "done" if ok else "wrong"
    print(_text("correct").format(name=shown) if ok
          else _text("wrong").format(name=shown, hint=hint))


def exercise_summary(exercises):
    """Print each exercise of a lesson as done, not right yet, or not done yet.

    ``exercises`` is a lesson number (``"04"``: the exercises that have a grader in
    :mod:`course_utils.graders`), or a list of names (``["Exercise 1", "Exercise 2"]``).
    It reports what the checks run in this kernel found: run each check after its answer.

    Introduced in notebook 01; the last cell of every lesson's exercises.
    """
    if isinstance(exercises, str) and re.fullmatch(r"\d\d", exercises):
        _load_graders()
        numbers = sorted(int(k.split(".")[1]) for k in _graders if k.startswith(exercises + "."))
        if not numbers:
            raise ValueError(f"no graded exercises for lesson {exercises!r}")
        names = [f"Exercise {n}" for n in numbers]
    elif isinstance(exercises, (list, tuple)) and exercises and all(
            isinstance(n, str) and n.strip() for n in exercises):
        names = [_key(n) for n in exercises]
    else:
        raise TypeError("exercises must be a lesson number like '04' or a list of exercise "
                        f"names, got {exercises!r}")
    print(_text("summary"))
    for name in names:
        status = _results.get(name, "not done")
        print("  " + _text("status")[status].format(name=_display_name(name)))


# -- graders ------------------------------------------------------------------------------

def grader(exercise_id):
    """Register the decorated function as the grader of ``exercise_id`` (``"NN.k"``)."""
    if not re.fullmatch(r"\d\d\.\d+", exercise_id):
        raise ValueError(f"exercise_id must look like '04.2', got {exercise_id!r}")

    def register(function):
        _graders[exercise_id] = function
        return function

    return register


def _load_graders():
    from . import graders  # noqa: F401  (registers every grader)


def get_grader(exercise_id):
    """The grader registered for ``exercise_id``; a clear error if there is none."""
    _load_graders()
    if exercise_id not in _graders:
        raise ValueError(f"no grader for exercise {exercise_id!r}; known: {sorted(_graders)}")
    return _graders[exercise_id]


def digest(value):
    """A salted hash of a number or a choice, so a grader can hold an answer without showing it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return hashlib.sha256(f"course-utils:{value!r}".encode()).hexdigest()[:16]


def answer_source(name, namespace):
    """The source of the latest cell the learner ran for ``name``'s answer, or ``None``.

    It is the last entry of IPython's input history (``In``) that holds the answer cell's
    first line, ``"Exercise 1: your answer"``; ``None`` outside IPython.
    """
    history = namespace.get("In")
    if not isinstance(history, list):
        return None
    marker = f"{name}: your answer"
    return next((src for src in reversed(history) if marker in src), None)


def code_names(source):
    """Every name and attribute that ``source``'s code uses (comments and strings ignored)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def forbid(name, namespace, words, hint):
    """Raise ``hint`` (a :class:`Hint`) if ``name``'s answer cell uses any of ``words``."""
    source = answer_source(name, namespace)
    if source is not None and code_names(source) & set(words):
        raise hint
