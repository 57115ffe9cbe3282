"""The maintainer commands: where they look for notebooks, and what they import."""

import ast
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.tools import assert_margins, find_notebooks, nbfmt, refresh, student_copies

ROOT = Path(__file__).resolve().parent.parent
TOOLS = sorted((ROOT / "course_utils" / "tools").glob("*.py"))
COMMANDS = [nbfmt.main, refresh.main, student_copies.main]


def write_notebook(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), path)
    return path


@pytest.mark.parametrize("main", COMMANDS, ids=lambda m: m.__module__.rsplit(".", 1)[1])
def test_a_command_without_notebooks_fails_with_a_clear_message(main, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no notebooks/ here, and none of the package's own
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code not in (0, None)
    assert "no notebooks" in str(info.value) and str(tmp_path / "notebooks") in str(info.value)
    with pytest.raises(SystemExit, match="missing.ipynb is not a notebook"):
        main(["missing.ipynb"])


def test_commands_work_on_the_notebooks_folder_of_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lesson = write_notebook(tmp_path / "notebooks" / "01_lesson.ipynb")
    write_notebook(tmp_path / "notebooks" / "scratch.ipynb")  # not a lesson
    assert find_notebooks() == [lesson]
    assert find_notebooks(pattern="*.ipynb")[0] == lesson
    assert nbfmt.main([]) == 0 and nbfmt.main(["--check"]) == 0
    assert student_copies.main([]) == 0
    assert [p.name for p in (tmp_path / "student").iterdir()] == ["01_lesson.ipynb"]


def test_assert_margins_rejects_a_path_that_is_not_a_notebook(tmp_path):
    with pytest.raises(SystemExit, match="is not a notebook"):
        assert_margins.main([str(tmp_path / "nothing.ipynb")])


def imported_names(path):
    """(module, name) for each ``from module import name`` of ``path``, relative resolved."""
    package = "course_utils.tools"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found += [(module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names]
    return found


@pytest.mark.parametrize("path", TOOLS, ids=[p.name for p in TOOLS])
def test_tools_use_only_public_names_of_the_learner_package(path):
    for module, name in imported_names(path):
        if not module.startswith("course_utils") or module.startswith("course_utils.tools"):
            continue
        parts = module.split(".") + ([name] if name else [])
        private = [p for p in parts if p.startswith("_")]
        assert not private, f"{path.name} imports {module}.{name}: a private name"


@pytest.mark.parametrize("path", TOOLS, ids=[p.name for p in TOOLS])
def test_tools_do_not_locate_notebooks_inside_the_package(path):
    # an installed package lives in site-packages: a path derived from the module's own
    # location would find nothing there, or write there
    assert "__file__" not in path.read_text(encoding="utf-8")
