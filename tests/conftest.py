"""Shared fixtures; the --student-copies option."""

import matplotlib

# Headless plots for the unit tests, set in this process only: an MPLBACKEND environment
# variable would be inherited by the kernels that `pytest --nbval` starts for the
# notebooks (setup_notebook() switches them to inline figures all the same).
matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import course_utils  # noqa: F401  (imports keras quietly first)


def pytest_addoption(parser):
    parser.addoption("--student-copies", action="store_true",
                     help="also execute every student copy (tests/test_student_copies.py)")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def sine_model():
    """The lecture's sine model, modern form, compiled as in the lecture (tests/sine.py)."""
    from sine import build_sine_model

    return build_sine_model()
