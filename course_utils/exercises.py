"""``check_exercise``: the check cell under every exercise, in instructor and student copies.

An exercise in this course has three parts (docs/lesson_recipe.md shows one whole):

1. the **answer cell**: the learner's code, with the instructor's solution between
   nbgrader's markers ``### BEGIN SOLUTION`` and ``### END SOLUTION``; lines above the
   markers set the answer's names to ``None`` so an empty answer is "not done yet";
2. the **check cell**: ``check_exercise(...)``, which survives into the student copy;
3. optionally a collapsed ``<details>`` block with the answer prose, which the student
   copy drops.

The check says plainly whether the answer is right, gives a hint when it is not, and
never prints the solution. It never raises either, so a student copy runs top to bottom
with every unanswered exercise reporting "not done yet". Introduced in notebook 01.
"""

from __future__ import annotations

NOT_DONE = "not done yet"


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
    correct : callable
        Called with no argument only when the answer is there; returns truthy when the
        answer is right. It may raise (a wrong shape, a missing key): that counts as
        "not right yet", with the hint. Compare with values computed from the learner's
        own objects, so that the check cell does not give the answer away.
    hint : str
        One sentence pointing at the idea, printed when the answer is not right.

    Introduced in notebook 01; used under every exercise.
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    if not callable(correct):
        raise TypeError(f"correct must be a callable returning True or False, got {correct!r}")
    if not isinstance(hint, str) or not hint.strip():
        raise TypeError(f"hint must be a non-empty str, got {hint!r}")
    answers = answer if isinstance(answer, tuple) else (answer,)
    if any(_is_missing(a) for a in answers):
        print(f"… {name}: {NOT_DONE}. Write your answer in the cell above, run it, "
              "then run this check again.")
        return
    try:
        ok = bool(correct())
    except Exception as exc:  # a learner's answer can fail in any way; say which, kindly
        print(f"✗ {name}: not right yet ({type(exc).__name__} while checking). Hint: {hint}")
        return
    if ok:
        print(f"✓ {name}: correct.")
    else:
        print(f"✗ {name}: not right yet. Hint: {hint}")
