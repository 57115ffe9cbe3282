"""Contributing guide, glossary, figures, student copies, process note: present and in sync."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def read(rel):
    return (ROOT / rel).read_text(encoding="utf-8")


def test_contributing_covers_the_ways_in_and_the_checklist():
    text = read("CONTRIBUTING.md")
    for needle in ("typo", "Translate", "test", "Report a bug", "in detail and humbly",
                   "Check out", "Run the tests first", "failures and side effects",
                   "course-refresh", "docs/notebook_conventions.md", "pytest --nbval"):
        assert needle in text, needle


def glossary_rows():
    rows = []
    for line in read("docs/glossary.md").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= {"-"}:
            rows.append(cells)
    return rows[1:]  # header


def test_glossary_pairs_english_and_korean():
    rows = glossary_rows()
    assert len(rows) >= 40
    for english, korean, *_ in rows:
        assert re.search(r"[A-Za-z]", english) and HANGUL.search(korean), (english, korean)
    pairs = {(e.split(" (")[0], k.split(" (")[0]) for e, k, *_ in rows}
    for pair in [("normalization", "정규화"), ("missing values", "결측치"),
                 ("outlier", "이상치"), ("overfitting", "과대적합"), ("epoch", "에포크"),
                 ("underfitting", "과소적합"), ("weight", "가중치")]:
        assert pair in pairs, pair


def test_glossary_is_linked_from_readme_and_notebook_00():
    assert "docs/glossary.md" in read("README.md")
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    assert any("../docs/glossary.md" in c.source for c in nb.cells if c.cell_type == "markdown")


def test_process_note_exists_and_is_linked():
    text = read("docs/how_this_course_is_maintained.md")
    assert "Requirements first" in text and "요구사항" in text
    assert "docs/how_this_course_is_maintained.md" in read("CONTRIBUTING.md")


FIGURES = ["one_hot_encoding.png", "mini_batches.png", "train_validation_test_split.png",
           "overfitting_curve.png"]


@pytest.mark.parametrize("name", FIGURES)
def test_concept_figure_exists_and_is_used(name):
    assert (ROOT / "img" / name).is_file()
    used = [p.name for p in NOTEBOOKS if f"../img/{name}" in p.read_text(encoding="utf-8")]
    assert used, f"no notebook references img/{name}"


def test_figure_script_draws_every_figure(tmp_path):
    proc = subprocess.run([sys.executable, "-W", "error", str(ROOT / "img" / "make_figures.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(FIGURES)
