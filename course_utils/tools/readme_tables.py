"""Write the README's module table from what ``course_utils`` says about itself.

    course-readme-tables            # rewrite the table in README.md in place
    course-readme-tables --check    # change nothing; exit 1 if the README differs

One row per module of the learner package, from ``course_utils.__all__``: the first line
of the module's docstring, each public helper with the notebook its docstring says
introduces it ("Introduced in notebook NN", kept true by ``tests/test_docstrings.py``),
and the first of those notebooks. The table sits between ``<!-- modules:begin -->`` and
``<!-- modules:end -->``. Run from the repository root (or give ``--root``).
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys

from . import check_parser

BEGIN, END = "<!-- modules:begin -->", "<!-- modules:end -->"
INTRODUCED = re.compile(r"Introduced in notebook (\d\d)")


def introduced_in(obj):
    """The notebook number ``obj``'s docstring names, or None."""
    found = INTRODUCED.search(inspect.getdoc(obj) or "")
    return found.group(1) if found else None


def module_rows():
    """[(module, summary, [(helper, notebook or None)])], in order of first notebook."""
    import course_utils

    modules = {}
    for name in course_utils.__all__:
        helper = getattr(course_utils, name)
        modules.setdefault(helper.__module__, []).append((name, introduced_in(helper)))
    rows = []
    for module, helpers in modules.items():
        doc = inspect.getdoc(importlib.import_module(module)) or ""
        summary = doc.splitlines()[0].replace("``", "`") if doc else ""
        helpers.sort(key=lambda h: (h[1] or "99", h[0]))
        rows.append((module.rpartition(".")[2], summary, helpers))
    return sorted(rows, key=lambda row: (row[2][0][1] or "99", row[0]))


def module_table():
    """The README's module table, markers included."""
    lines = [BEGIN, "| module | what it does | helpers (notebook that introduces each) |",
             "|---|---|---|"]
    for module, summary, helpers in module_rows():
        named = ", ".join(f"`{name}` ({nb})" if nb else f"`{name}`" for name, nb in helpers)
        lines.append(f"| `{module}` | {summary} | {named} |")
    return "\n".join([*lines, END])


def updated(readme_text):
    """``readme_text`` with the module table between the markers rewritten."""
    if BEGIN not in readme_text or END not in readme_text:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} markers")
    head, rest = readme_text.split(BEGIN, 1)
    return head + module_table() + rest.split(END, 1)[1]


def main(argv=None):
    args = check_parser(__doc__.splitlines()[0], "the README", root=True).parse_args(argv)
    readme = args.root / "README.md"
    if not readme.is_file():
        raise SystemExit(f"no README.md in {args.root}: run course-readme-tables in the "
                         "repository root or give --root")
    text = readme.read_text(encoding="utf-8")
    new = updated(text)
    if new != text:
        print(f"{'would update' if args.check else 'updated'} the module table in {readme}")
        if not args.check:
            readme.write_text(new, encoding="utf-8")
    return 1 if args.check and new != text else 0


if __name__ == "__main__":
    sys.exit(main())
