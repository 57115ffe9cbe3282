"""setuptools' build backend, with one check first: is this a Python the course runs on?

pyproject.toml names it (``build-backend``, ``backend-path = ["build_backend"]``), so
``pip install -e .`` and ``pip install "course-utils @ git+..."`` both run it. On a Python
that TensorFlow publishes no wheel for, pip would otherwise print a resolver dump about
tensorflow; here the install stops first with one sentence naming the supported versions
(the ``Programming Language :: Python :: 3.N`` classifiers, which CI tests).

A Python outside that list is let through when TensorFlow is already installed for it
(a managed environment such as Colab that moved ahead of the list): then nothing needs a
wheel that does not exist. Building an sdist is not checked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook setuptools offers)

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
CLASSIFIER = re.compile(r'"Programming Language :: Python :: 3\.(\d+)"')


def supported_versions(text=None):
    """``[(3, 10), (3, 11), ...]`` from pyproject.toml's classifiers."""
    text = PYPROJECT.read_text(encoding="utf-8") if text is None else text
    return sorted({(3, int(minor)) for minor in CLASSIFIER.findall(text)})


def tensorflow_installed():
    """Whether this interpreter, outside the isolated build, already has TensorFlow."""
    probe = "import importlib.metadata as m; m.version('tensorflow')"
    # -I: ignore the PYTHONPATH and user site that build isolation sets up
    run = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, timeout=60)
    return run.returncode == 0


def unsupported_message(version, supported):
    names = [f"{major}.{minor}" for major, minor in supported]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return (
        f"course-utils runs on Python {listed} (the versions TensorFlow publishes wheels for "
        f"and the course's CI tests); this is Python {version[0]}.{version[1]}. Create the "
        f"virtual environment with one of those, e.g. `python{names[-1]} -m venv .venv` or "
        f"`uv venv --python {names[-1]} .venv`, then run the install command again."
    )


def check_python(version=None, supported=None, has_tensorflow=tensorflow_installed):
    """Stop the build with a clear message on a Python the course does not run on."""
    version = tuple(sys.version_info[:2]) if version is None else tuple(version)
    supported = supported_versions() if supported is None else supported
    if version in supported or has_tensorflow():
        return
    raise SystemExit("\n" + unsupported_message(version, supported) + "\n")


def _checked(hook):
    def run(*args, **kwargs):
        check_python()
        return hook(*args, **kwargs)

    run.__name__ = run.__qualname__ = hook.__name__
    run.__doc__ = hook.__doc__
    return run


get_requires_for_build_wheel = _checked(_setuptools.get_requires_for_build_wheel)
get_requires_for_build_editable = _checked(_setuptools.get_requires_for_build_editable)
prepare_metadata_for_build_wheel = _checked(_setuptools.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _checked(_setuptools.prepare_metadata_for_build_editable)
build_wheel = _checked(_setuptools.build_wheel)
build_editable = _checked(_setuptools.build_editable)
