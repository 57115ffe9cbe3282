"""The course's pytest plugin (``-p course_utils.tools.pytest_plugin``, in pyproject's addopts).

1. **A figure that is not drawn fails nbval.** nbval compares each output's text and
   skips images, so a figure that was not drawn (an old matplotlib under IPython 9, a
   non-inline backend) would pass: only the ``<Figure size ...>`` text comes back, and it
   matches. Here a cell whose stored output has N images must show N images again.
2. **``--keras-backend jax|torch|tensorflow``** runs the tests and the notebooks' kernels
   on that Keras backend (it sets ``KERAS_BACKEND`` before anything imports Keras). The
   stored outputs were made on TensorFlow, so on another backend ``--nbval`` compares
   nothing and only runs every cell, asserts included, like ``--nbval-lax``.
3. **One OpenMP thread per kernel on PyTorch** (``OMP_NUM_THREADS=1`` unless set). The
   suite runs two notebooks at a time (pytest-xdist); two PyTorch kernels each spinning
   up one OpenMP thread per core fight over the cores. Measured on the 2-core machine,
   notebooks 02 and 03: 236 s with PyTorch's default threads, 48 s with one thread each;
   one notebook alone runs as fast with one thread (the course's models are tiny).
4. **Tests marked ``slow`` or ``network`` run once**, on the default backend: on another
   backend they are skipped (they check the environment and the repository, which do not
   depend on the backend).
"""

from __future__ import annotations

import os

import pytest

from course_utils.tools import BACKENDS

IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def count_images(outputs):
    """How many outputs carry an image."""
    return sum(any(t in out.get("data", {}) for t in IMAGE_TYPES) for out in outputs)


def _compare_with_figures(original):
    def compare_outputs(self, test, ref, skip_compare=None):
        same = original(self, test, ref, skip_compare)
        expected, shown = count_images(ref), count_images(test)
        if expected != shown:
            self.comparison_traceback.append(
                f" the stored output has {expected} figure(s); this run showed {shown}")
            return False
        return same

    compare_outputs.checks_figures = True
    return compare_outputs


def pytest_addoption(parser):
    parser.addoption("--keras-backend", choices=BACKENDS, default=None,
                     help="run tests and notebooks on this Keras backend "
                          "(default: $KERAS_BACKEND, else tensorflow)")


def pytest_load_initial_conftests(early_config, parser, args):
    # before tests/conftest.py imports course_utils (and with it Keras)
    known = parser.parse_known_args(args)
    if known.keras_backend:
        os.environ["KERAS_BACKEND"] = known.keras_backend
    if backend() == "torch":  # inherited by the workers and their kernels
        os.environ.setdefault("OMP_NUM_THREADS", "1")


def backend():
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def pytest_collection_modifyitems(config, items):
    if backend() == "tensorflow":
        return
    once = pytest.mark.skip(reason=f"run once, on tensorflow, not again on {backend()}")
    for item in items:
        if item.get_closest_marker("slow") or item.get_closest_marker("network"):
            item.add_marker(once)


def pytest_report_header(config):
    return f"Keras backend: {backend()}"


def pytest_configure(config):
    if backend() != "tensorflow" and getattr(config.option, "nbval", False):
        config.option.nbval_lax = True  # the stored outputs are TensorFlow's
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval is only needed for --nbval
        return
    if not getattr(IPyNbCell.compare_outputs, "checks_figures", False):
        IPyNbCell.compare_outputs = _compare_with_figures(IPyNbCell.compare_outputs)
