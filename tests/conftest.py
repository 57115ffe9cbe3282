"""Shared fixtures and helpers; the --student-copies option.

Helpers that more than one test file uses live here (``from conftest import pins``),
never in a test file that another imports.
"""

from pathlib import Path

import matplotlib

# Headless plots for the unit tests, set in this process only: an MPLBACKEND environment
# variable would be inherited by the kernels that `pytest --nbval` starts for the
# notebooks (setup_notebook() switches them to inline figures all the same).
matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import course_utils  # noqa: F401  (imports keras quietly first)

ROOT = Path(__file__).resolve().parent.parent
LOCAL_EXTRAS = "lab,test"  # the local routes: JupyterLab and the test tools on top


def pyproject():
    """pyproject.toml, parsed."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins():
    """{canonical name: version} of constraints.txt's exact pins."""
    from packaging.utils import canonicalize_name

    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert "==" in line and not line.startswith("-"), f"not an exact pin: {line}"
        name, version = line.split("==", 1)
        found[canonicalize_name(name.split("[")[0])] = version.split(";")[0].strip()
    return found


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
