"""A pytest plugin (``-p course_utils.tools.nbval_figures``, in pyproject's addopts).

nbval compares each output's text and skips images, so a figure that was not drawn
(an old matplotlib under IPython 9, a non-inline backend) still passes: only the
``<Figure size ...>`` text comes back, and it matches. With this plugin a cell whose
stored output has N images must show N images again.
"""

from __future__ import annotations

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


def pytest_configure(config):
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval is only needed for --nbval
        return
    if not getattr(IPyNbCell.compare_outputs, "checks_figures", False):
        IPyNbCell.compare_outputs = _compare_with_figures(IPyNbCell.compare_outputs)
