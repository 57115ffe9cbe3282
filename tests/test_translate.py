"""course-translate: the Korean edition's catalogues, its build, and the drift checks.

The lesson notebooks are read, never written: each test that edits works on a copy.
"""

import shutil
from pathlib import Path

import nbformat
import polib
import pytest

from course_utils.tools import translate as t

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EDITION = sorted((ROOT / "locales" / t.LANG).glob("*.po"))


def fake_korean(english, kind):
    """A stand-in translation that keeps a string a string and an f-string's fields."""
    if kind == "markdown":
        return "KO " + english
    if kind == "comment":
        return "# KO " + english.lstrip("# ")
    quote = english.index(english.lstrip("rbuRBUfF")[0])
    return english[: quote + 1] + "KO " + english[quote + 1:]


def translate_all(po):
    for entry in po:
        entry.msgstr = fake_korean(entry.msgid, entry.comment)
    return po


@pytest.fixture
def project(tmp_path):
    """A copy of two lessons in a project layout, every entry translated (fake Korean)."""
    (tmp_path / "notebooks").mkdir()
    for path in LESSONS[:1] + LESSONS[4:5]:
        shutil.copy(path, tmp_path / "notebooks" / path.name)
        po = translate_all(t.extract(nbformat.read(path, as_version=4), path))
        target = t.catalogue_path(tmp_path, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(target))
    return tmp_path


def run(project, *args, monkeypatch):
    monkeypatch.chdir(project)
    return t.main(list(args))


def test_markdown_units_split_paragraphs_items_rows_and_fences():
    text = ("# Title\n[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            "(https://colab.research.google.com/github/o/r/blob/main/notebooks/04_x.ipynb)\n"
            "First paragraph,\nstill first.\n\n- item one\n  goes on\n- item two\n\n"
            "| a | b |\n|---|---|\n| one | 2 |\n| 3 | 4 |\n\n"
            "```python\nx = 1\n\ny = 2\n```\n</details>")
    lines = text.split("\n")
    units = ["\n".join(lines[a: b + 1]) for a, b in t.markdown_units(text)]
    assert units == ["# Title", "First paragraph,\nstill first.", "- item one\n  goes on",
                     "- item two", "| a | b |", "| one | 2 |", "```python\nx = 1\n\ny = 2\n```"]


def test_code_pieces_are_comments_and_the_strings_a_reader_sees():
    source = ('# NBVAL_IGNORE_OUTPUT\n%matplotlib inline\nx = {"val loss": 1}  # a dict\n'
              'print("✓ it fell", x["val loss"])\nplt.plot(x, label="training loss")\n'
              'check_exercise("Exercise 1", a, lambda: a == 1, hint="Think of ∑.")\n'
              '### BEGIN SOLUTION\nprint(f"loss {x:.2f} ok")\n')
    pieces = [(source[a:b], kind) for a, b, kind in t.code_pieces(source)]
    assert pieces == [("# a dict", "comment"), ('"✓ it fell"', "string"),
                      ('"Exercise 1"', "string"), ('"Think of ∑."', "string"),
                      ('f"loss {x:.2f} ok"', "string")]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_cell_rebuilds_from_its_entries(path):
    for cell in nbformat.read(path, as_version=4).cells:
        entries = t.entries_of(cell.cell_type, cell.source)
        assert t.translate_cell_source(cell, {e: e for e, _ in entries}) == cell.source
        fake = {e: fake_korean(e, kind) for e, kind in entries}
        if cell.cell_type == "code" and entries:
            korean = t.translate_cell_source(cell, fake)
            assert korean != cell.source and t.same_computation(cell.source, korean)


def test_same_computation_refuses_a_changed_number_name_or_call():
    english = 'loss = model.evaluate(x, y)\nprint("loss", round(loss, 3))'
    assert t.same_computation(english, 'loss = model.evaluate(x, y)\nprint("손실", round(loss, 3))')
    for changed in ('loss = model.evaluate(x, y)\nprint("loss", round(loss, 2))',
                    'loss = model.evaluate(y, x)\nprint("loss", round(loss, 3))',
                    'loss = model.predict(x, y)\nprint("loss", round(loss, 3))'):
        assert not t.same_computation(english, changed)


def test_build_translates_text_and_printed_strings_and_is_idempotent(project, monkeypatch):
    assert run(project, "build", monkeypatch=monkeypatch) == 0
    korean_dir = project / "notebooks" / "ko"
    built = {p.name: p.read_text(encoding="utf-8") for p in korean_dir.iterdir()}
    assert run(project, "build", monkeypatch=monkeypatch) == 0
    assert built == {p.name: p.read_text(encoding="utf-8") for p in korean_dir.iterdir()}
    assert run(project, "check", monkeypatch=monkeypatch) == 0
    english = nbformat.read(project / "notebooks" / LESSONS[4].name, as_version=4)
    korean = nbformat.reads(built[LESSONS[4].name], as_version=4)
    assert [c.id for c in korean.cells] == [c.id for c in english.cells]
    assert korean.cells[0].source.startswith("KO # 04")
    printed = [o.text for c in korean.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type == "stream" and "✓" in o.text and "Exercise" not in o.text]
    assert printed and all("KO ✓" in text for text in printed)
    for en, ko in zip(english.cells, korean.cells):
        if en.cell_type == "code":
            assert t.same_computation(en.source, ko.source)
            images = [o.get("data", {}).get("image/png") for o in en.outputs]
            assert images == [o.get("data", {}).get("image/png") for o in ko.outputs]


def test_korean_exercise_names_give_korean_check_messages(project, monkeypatch):
    path = project / "notebooks" / LESSONS[4].name
    po = polib.pofile(str(t.catalogue_path(project, path)))
    for entry in po:  # the exercise names as the Korean edition writes them
        if entry.msgid.startswith('"Exercise '):
            entry.msgstr = entry.msgid.replace("Exercise", "연습문제")
    po.save()
    assert run(project, "build", monkeypatch=monkeypatch) == 0
    korean = nbformat.read(t.korean_path(project, path), as_version=4)
    printed = "".join(o.text for c in korean.cells if c.cell_type == "code"
                      for o in c.outputs if o.output_type == "stream")
    assert "✓ 연습문제 1: 정답입니다." in printed and "✓ 연습문제 2: 정답입니다." in printed
    assert "이 노트북의 연습문제:" in printed and "  ✓ 연습문제 2: 완료" in printed
    assert "Exercise" not in printed and "correct." not in printed
    assert t.translate_check_messages("✗ Exercise 3: not right yet. Hint: 다시 해 보자") == (
        "✗ 연습문제 3: 아직 아닙니다. 힌트: 다시 해 보자")


def test_links_are_repointed_from_the_korean_folder():
    text = ("![split](../img/split.png) see [the glossary](../docs/glossary.md), "
            "[notebook 05](05_underfitting_and_overfitting.ipynb), [web](https://keras.io), "
            "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            "(https://colab.research.google.com/github/o/r/blob/main/notebooks/04_x.ipynb)")
    assert t.repoint_links(text, translated={"05_underfitting_and_overfitting.ipynb"}) == (
        "![split](../../img/split.png) see [the glossary](../../docs/glossary.md), "
        "[notebook 05](05_underfitting_and_overfitting.ipynb), [web](https://keras.io), "
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/o/r/blob/main/notebooks/ko/04_x.ipynb)")
    # a lesson without a Korean edition yet: its English notebook
    assert t.repoint_links("[06](06_normalization.ipynb)") == "[06](../06_normalization.ipynb)"
    # a link the translator wrote is taken as written
    assert t.repoint_links("[영어판](../00_start_here.ipynb), [용어집](../../docs/glossary.md)",
                           english="[the glossary](../docs/glossary.md)") == (
        "[영어판](../00_start_here.ipynb), [용어집](../../docs/glossary.md)")


def test_an_edited_paragraph_marks_only_its_entry_fuzzy(project, monkeypatch):
    assert run(project, "build", monkeypatch=monkeypatch) == 0
    path = project / "notebooks" / LESSONS[4].name
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "\n\n" in c.source
                and len(t.entries_of("markdown", c.source)) > 2)
    first = t.entries_of("markdown", cell.source)[1][0]
    cell.source = cell.source.replace(first, first + " One more sentence.")
    nbformat.write(nb, path)
    lines = t.check(project, path)
    assert len(lines) == 2, lines
    assert f"cell {cell.id}: fuzzy" in lines[0] and "differs from what build writes" in lines[1]
    assert run(project, "update", monkeypatch=monkeypatch) == 0
    po = polib.pofile(str(t.catalogue_path(project, path)))
    fuzzy = [e for e in po if "fuzzy" in e.flags]
    assert [(e.msgctxt, e.previous_msgid) for e in fuzzy] == [(cell.id, first)]
    assert fuzzy[0].msgstr == fake_korean(first, "markdown")  # the old translation, kept
    assert not [e for e in po if e.obsolete or not e.msgstr]


def test_a_new_cell_is_untranslated_and_a_deleted_one_obsolete(project, monkeypatch):
    path = project / "notebooks" / LESSONS[4].name
    nb = nbformat.read(path, as_version=4)
    removed = nb.cells.pop(3)
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("A brand-new paragraph.", id="new-cell"))
    nbformat.write(nb, path)
    states = "\n".join(t.check(project, path))
    assert "cell new-cell: untranslated" in states
    assert f"cell {removed.id}: obsolete" in states


def test_a_missing_catalogue_or_korean_notebook_is_named(project, monkeypatch):
    path = project / "notebooks" / LESSONS[0].name
    assert t.check(project, path) == [f"{path.name}: no Korean notebook "
                                      f"{t.korean_path(project, path)}"]
    t.catalogue_path(project, path).unlink()
    assert "no catalogue" in t.check(project, path)[0]


def test_no_notebook_found_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="no notebook found"):
        t.main(["build"])


@pytest.mark.parametrize("po", EDITION, ids=[p.name for p in EDITION])
def test_the_korean_edition_is_up_to_date(po, monkeypatch):
    """Every notebook with a catalogue: all entries translated, its Korean notebook built."""
    english = ROOT / "notebooks" / (po.stem + ".ipynb")
    assert english.exists(), f"{po.name} has no English notebook"
    assert t.check(ROOT, english) == []


@pytest.mark.parametrize("po", EDITION, ids=[p.name for p in EDITION])
def test_korean_code_computes_what_the_english_code_computes(po):
    english = nbformat.read(ROOT / "notebooks" / (po.stem + ".ipynb"), as_version=4)
    korean = nbformat.read(t.korean_path(ROOT, po.stem + ".ipynb"), as_version=4)
    for en, ko in zip(english.cells, korean.cells, strict=True):
        if en.cell_type == "code":
            assert t.same_computation(en.source, ko.source), f"{po.stem} cell {en.id}"


@pytest.mark.parametrize("po", EDITION, ids=[p.name for p in EDITION])
def test_catalogues_declare_korean(po):
    assert polib.pofile(str(po)).metadata["Language"] == t.LANG
