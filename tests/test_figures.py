"""The concept figures in img/ are what img/make_figures.py draws.

The script draws deterministically (Agg, matplotlib's default style, 100 dpi, no
"Software" metadata); the test draws every figure into a temporary folder and compares
its pixels with the stored file. An RMS tolerance of 2 (of 255) absorbs the antialiasing
of another matplotlib release; an edited label, colour or layout is far above it.
"""

import runpy
import shutil
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

ROOT = Path(__file__).resolve().parent.parent
STORED = sorted((ROOT / "img").glob("*.png"))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    script = runpy.run_path(str(ROOT / "img" / "make_figures.py"))  # not as __main__
    assert script["main"]([str(out)]) == 0
    return out, set(script["FIGURES"])


def test_every_stored_figure_is_drawn_by_the_script(drawn):
    _, names = drawn
    assert {p.name for p in STORED} == names


@pytest.mark.parametrize("path", STORED, ids=[p.name for p in STORED])
def test_stored_figure_matches_what_the_script_draws(path, drawn, tmp_path):
    out, _ = drawn
    expected = tmp_path / path.name  # compare_images writes its diff image beside it
    shutil.copy(path, expected)
    failure = compare_images(str(expected), str(out / path.name), tol=2)
    assert failure is None, f"{failure}\nredraw with: python img/make_figures.py"
