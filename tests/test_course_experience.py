"""Glossary, figures, the repository URL and the README's generated module table: in sync."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.tools import readme_tables, urls

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def read(rel):
    return (ROOT / rel).read_text(encoding="utf-8")


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


# One home for the repository URL: pyproject.toml's [project.urls]; `course-urls` writes it.
URL, REF = urls.project(ROOT)


@pytest.mark.parametrize("path", urls.files(ROOT), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_badges_and_install_lines_name_the_repository_of_pyproject(path):
    assert urls.updated(path, URL, REF) == path.read_text(encoding="utf-8"), (
        f"{path.name} names another repository or tag: run course-urls")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_each_notebook_opens_and_installs_its_own_release_on_colab(path):
    nb = nbformat.read(path, as_version=4)
    owner_name = URL.removeprefix("https://github.com/")
    badge = f"https://colab.research.google.com/github/{owner_name}/blob/{REF}/notebooks/{path.name}"
    assert badge in nb.cells[0].source
    setup = next(c.source for c in nb.cells if c.cell_type == "code")
    colab = setup.split('if "google.colab" in sys.modules', 1)[1].split("\n\n\n")[0]
    assert 'importlib.util.find_spec("course_utils") is None' in colab, "install only if missing"
    assert f'"course-utils @ git+{URL}@{REF}"' in colab
    assert f"course-utils @ git+{URL}@{REF}" in read("README.md")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_setup_cell_installs_on_colab_only_when_course_utils_is_missing(path, monkeypatch):
    import importlib.util
    import os
    import types

    setup = next(c.source for c in nbformat.read(path, as_version=4).cells
                 if c.cell_type == "code")
    before_import = setup.split("from course_utils import")[0]
    installs = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: installs.append(args))
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "tensorflow"))
    exec(before_import, {})  # not on Colab
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(before_import, {})  # on Colab, course_utils installed (as here)
    assert installs == []
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "course_utils" else find_spec(name, *a))
    exec(before_import, {})  # on Colab, course_utils missing
    assert installs == [[sys.executable, "-m", "pip", "install", "-q",
                         f"course-utils @ git+{URL}@{REF}"]]


def test_course_urls_rewrites_every_place_from_pyproject(tmp_path):
    for rel in ["notebooks/00_start_here.ipynb", "notebooks/05_underfitting_and_overfitting.ipynb",
                "README.md"]:
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(read(rel), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        read("pyproject.toml").replace(URL, "https://github.com/someone/fork")
        .replace(f'version = "{REF[1:]}"', 'version = "2.0.1"'), encoding="utf-8")
    assert urls.main(["--check", "--root", str(tmp_path)]) == 1
    assert urls.main(["--root", str(tmp_path)]) == 0
    assert urls.main(["--check", "--root", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / "notebooks/05_underfitting_and_overfitting.ipynb", as_version=4)
    text = nb.cells[0].source + next(c.source for c in nb.cells if c.cell_type == "code")
    assert "github/someone/fork/blob/v2.0.1/notebooks/05_" in text
    assert "course-utils @ git+https://github.com/someone/fork@v2.0.1" in text
    assert URL not in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_readme_module_table_is_what_course_readme_tables_writes():
    readme = read("README.md")
    assert readme_tables.updated(readme) == readme, "run course-readme-tables"
    table = readme.split(readme_tables.BEGIN)[1].split(readme_tables.END)[0]
    import course_utils

    for name in course_utils.__all__:  # every public helper has its row
        assert f"`{name}`" in table, name
