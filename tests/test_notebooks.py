"""Hygiene checks for the notebooks: anatomy, stored outputs, portability.

`pytest --nbval` re-runs the notebooks and compares outputs; these tests check what nbval
cannot: that every notebook follows the course's conventions (docs/notebook_conventions.md).
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def repo_url():
    """The repository URL, recorded once in pyproject.toml's [project.urls]."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^Repository = "([^"]+)"', text, flags=re.M).group(1)


def load(path):
    return nbformat.read(path, as_version=4)


def source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and source(c).strip()]


def test_notebooks_exist_and_are_numbered_in_order():
    assert NOTEBOOKS, "no notebooks found"
    for i, path in enumerate(NOTEBOOKS):
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
        assert int(path.name[:2]) == i, f"{path.name}: expected number {i:02d} (no gaps)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_title_and_colab_badge(path):
    first = load(path).cells[0]
    assert first.cell_type == "markdown"
    title = source(first).splitlines()[0]
    assert re.fullmatch(rf"# {path.name[:2]} · \S.*", title), title
    assert "colab-badge.svg" in source(first)  # where it points: test_course_experience.py


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell(path):
    first_code = code_cells(load(path))[0]
    src = source(first_code)
    assert "setup_notebook()" in src
    # choosing the backend is one line, which a KERAS_BACKEND set outside leaves alone
    backend_line = 'os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # or "jax" or "torch"'
    assert backend_line in src and src.index(backend_line) < src.index("from course_utils")
    assert '"google.colab" in sys.modules' in src
    assert f"course-utils @ git+{repo_url()}" in src
    # course_utils must be imported before keras, so TensorFlow's logging is silenced first
    if "import keras" in src:
        assert src.index("from course_utils import setup_notebook") < src.index("import keras")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_bilingual_key_takeaways(path):
    md = [source(c) for c in load(path).cells if c.cell_type == "markdown"]
    sections = [m.split("## Key takeaways · 핵심 정리", 1)[1] for m in md
                if "## Key takeaways · 핵심 정리" in m]
    assert sections, "missing '## Key takeaways · 핵심 정리'"
    body = sections[0].split("\n## ", 1)[0]
    bullets = [b for b in body.split("\n- ")[1:]]
    assert 3 <= len(bullets) <= 6, f"expected 3-6 takeaways, got {len(bullets)}"
    for bullet in bullets:
        assert HANGUL.search(bullet) and re.search(r"[A-Za-z]{3}", bullet), bullet


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_in_the_form_jupyterlab_saves(path):
    # Opening a notebook in JupyterLab must not mark it modified: `course-nbfmt` writes
    # the kernel's full metadata and keeps cell ids (`course-nbfmt` fixes a failure).
    from course_utils.tools.nbfmt import KERNELSPEC, formatted

    assert path.read_text(encoding="utf-8") == formatted(path), "run course-nbfmt"
    nb = load(path)
    assert nb.metadata.kernelspec == KERNELSPEC
    assert re.fullmatch(r"3\.\d+\.\d+", nb.metadata.language_info.version)
    assert nb.metadata.language_info.pygments_lexer == "ipython3"


def test_nbfmt_check_reports_a_notebook_jupyterlab_would_rewrite(tmp_path):
    from course_utils.tools import nbfmt

    target = tmp_path / "00_x.ipynb"
    nb = load(NOTEBOOKS[0])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    nbformat.write(nb, target)
    assert nbfmt.main(["--check", str(target)]) == 1
    assert nbfmt.main([str(target)]) == 0
    assert nbfmt.main(["--check", str(target)]) == 0
    ids = [c.id for c in load(target).cells]
    assert ids == [c.id for c in load(NOTEBOOKS[0]).cells], "cell ids are kept, not renumbered"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_plot_cell_stores_its_figure(path):
    for cell in code_cells(load(path)):
        if "plt.show()" in source(cell):
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), (
                f"no figure stored for: {source(cell)[:80]!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_stored_in_order_without_errors_or_stderr(path):
    cells = code_cells(load(path))
    counts = [c.execution_count for c in cells]
    assert None not in counts, "every code cell must be executed and its outputs stored"
    assert counts == list(range(1, len(cells) + 1)), "run top to bottom in a fresh kernel"
    for c in cells:
        for out in c.outputs:
            assert out.output_type != "error", f"stored error: {out.get('ename')}"
            assert out.get("name") != "stderr", f"stored stderr: {out.get('text', '')[:200]}"
            # a figure shown with plt.show() is a display_data output (its text/plain
            # "<Figure size ...>" is expected there); as a cell's *result* or printed
            # text it means a plot cell did not end with plt.show()
            if out.output_type in ("execute_result", "stream"):
                text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
                assert "<Figure size" not in text and "<matplotlib." not in text, (
                    "end plot cells with plt.show(): " + text[:100])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_progress_bars(path):
    for c in code_cells(load(path)):
        src = source(c)
        assert not re.search(r"verbose\s*=\s*1\b", src), "use verbose=0 or 2 in notebooks"


ABSOLUTE = re.compile(r"(?<![\w.])(/home/|/Users/|/root/|/tmp/|/work/|/opt/|[A-Z]:\\\\)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_absolute_paths(path):
    text = path.read_text(encoding="utf-8")
    # image data is base64 and may contain anything; strip it before searching
    text = re.sub(r'"image/png": "[^"]*"', "", text)
    found = ABSOLUTE.findall(text)
    assert not found, f"absolute paths in {path.name}: {found[:5]}"


IMAGE_REF = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]+src=[\"']([^\"']+)[\"']")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_referenced_images_exist(path):
    for cell in load(path).cells:
        if cell.cell_type != "markdown":
            continue
        for a, b in IMAGE_REF.findall(source(cell)):
            ref = a or b
            if ref.startswith(("http://", "https://", "data:")):
                continue
            assert (path.parent / ref).resolve().is_file(), f"missing image {ref}"


def test_table_of_contents_lists_every_notebook():
    nb = load(NB_DIR / "00_start_here.ipynb")
    md = "\n".join(source(c) for c in nb.cells if c.cell_type == "markdown")
    linked = re.findall(r"\]\((\d\d_[a-z0-9_]+\.ipynb)\)", md)
    assert sorted(set(linked)) == [p.name for p in NOTEBOOKS], (
        "notebook 00's contents must link every notebook, and only existing ones")


def test_readme_table_lists_every_notebook_with_its_runtimes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        row = [line for line in readme.splitlines()
               if line.startswith("|") and f"notebooks/{path.name}" in line]
        assert row, f"README notebook table has no row for {path.name}"
        # one measured runtime per backend: TensorFlow, JAX, PyTorch
        runtimes = r"(\|\s*\d+\s*s\s*){3}\|\s*$"
        assert re.search(runtimes, row[0]), f"no measured runtimes in: {row[0]}"
        # the estimated time comes from the notebook's own title cell
        estimate = re.search(r"Estimated time · 예상 시간: (\d+) min", load(path).cells[0].source)
        assert estimate and f"| {estimate.group(1)} min |" in row[0], (
            f"README's time for {path.name} differs from the notebook's estimate")


def test_nbval_comparison_fails_when_a_stored_figure_is_not_drawn():
    from course_utils.tools.pytest_plugin import _compare_with_figures

    class Cell:
        comparison_traceback = []

    figure = {"output_type": "display_data",
              "data": {"image/png": "iVBOR", "text/plain": "<Figure size 512x288 with 1 Axes>"}}
    text_only = {"output_type": "display_data",
                 "data": {"text/plain": "<Figure size 512x288 with 1 Axes>"}}
    compare = _compare_with_figures(lambda self, test, ref, skip=None: True)
    assert compare(Cell(), [figure], [figure]) is True
    cell = Cell()
    assert compare(cell, [text_only], [figure]) is False  # nbval alone would accept it
    assert "1 figure(s); this run showed 0" in cell.comparison_traceback[-1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_assert_margins_belong_to_an_assert_of_their_cell(path):
    # Each key of a cell's assert_margins metadata is one of the cell's assert statements,
    # so an assert edited after its values were measured fails here until
    # `course-assert-margins --write` measures it again.
    from course_utils.tools.assert_margins import assert_lines

    for index, cell in enumerate(load(path).cells):
        margins = cell.metadata.get("assert_margins", {})
        stale = set(margins) - set(assert_lines(source(cell)))
        assert not stale, (f"{path.name}, cell {index} (id {cell.get('id')}): assert_margins "
                           f"names {sorted(stale)}, not an assert of the cell: run "
                           f"course-assert-margins --write {path.relative_to(ROOT)}")
        for line, values in margins.items():
            assert all(b in values for b in ("tensorflow", "jax", "torch")), (
                f"{path.name}, cell {index}: {line!r} needs a value per backend: {values!r}")
