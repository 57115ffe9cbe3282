"""The Korean edition: translation catalogues (gettext PO) and the Korean notebooks built from them.

    course-translate update [NOTEBOOK ...]   # English notebooks -> locales/ko/NN_*.po (merge)
    course-translate build  [NOTEBOOK ...]   # English notebooks + PO -> notebooks/ko/NN_*.ipynb
    course-translate check                   # exit 1 naming each entry or notebook out of date

The English notebooks are the one source of code, stored outputs and structure. What a
reader reads is cut into small entries, one PO entry each (``msgctxt`` is the cell's id):

- a markdown cell: each paragraph, heading, list item and table row (not the Colab badge:
  ``build`` points it at the Korean notebook);
- a code cell: each comment, and each string shown to the reader (the arguments of
  ``print``, the name and ``hint`` of ``check_exercise`` (``READER_STRINGS``), and the
  message of an ``assert``).

``update`` merges like gettext's ``msgmerge``: an unchanged entry keeps its translation; an
edited one keeps the old translation marked fuzzy, with the old English as ``#| msgid``;
a new one is untranslated; a vanished one becomes obsolete (``#~``). ``build`` writes each
Korean notebook from its English notebook: the same cells, ids and code, the translated
text (English where no finished translation exists yet), relative links re-pointed from
``notebooks/ko/``, and the English stored outputs with the printed strings translated.
It is deterministic: running it twice changes nothing. ``check`` fails on any fuzzy,
untranslated or obsolete entry and on a Korean notebook that differs from what ``build``
writes, naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import re
import sys
import tokenize
from pathlib import Path

LANG = "ko"
READER_STRINGS = {  # call name -> the arguments whose strings the reader sees
    "print": ("*",),
    "check_exercise": (0, "hint"),
}
DIRECTIVE = re.compile(r"#\s*(NBVAL_|noqa|type:|pragma|YOUR CODE HERE)|###|#@")
FENCE = re.compile(r"^\s*(```|~~~)")
TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s")
HAS_WORDS = re.compile(r"[^\W\d_]", re.UNICODE)


# --- What a reader reads: units of a markdown cell, pieces of a code cell -----------------

def markdown_units(text):
    """``[(first_line, last_line)]``: the lines of each entry of a markdown cell (inclusive)."""
    lines, units, start, fence = text.split("\n"), [], None, False

    def close(end):
        nonlocal start
        if start is not None:
            units.append((start, end))
        start = None

    for i, line in enumerate(lines):
        if fence:
            if FENCE.match(line):
                fence = False
                close(i)
            continue
        if FENCE.match(line):
            close(i - 1)
            start, fence = i, True
        elif not line.strip() or TABLE_RULE.match(line) or "colab-badge.svg" in line or (
                not HAS_WORDS.search(re.sub(r"<[^>]*>", "", line))):
            close(i - 1)
        elif line.lstrip().startswith(("#", "|")) or LIST_ITEM.match(line):
            close(i - 1)
            start = i
            if line.lstrip().startswith(("#", "|")):
                close(i)
        elif start is None:
            start = i
    close(len(lines) - 1)
    return units


def _masked(source):
    """``source`` with IPython magics and shell lines blanked (same length), so it parses."""
    return "\n".join(" " * len(line) if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _offset(lines, row, col_bytes):
    """Character offset in the joined source of (1-based row, UTF-8 byte column)."""
    before = sum(len(line) + 1 for line in lines[: row - 1])
    return before + len(lines[row - 1].encode()[:col_bytes].decode())


def _call_name(node):
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _reader_string_nodes(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and isinstance(node.msg, (ast.Constant, ast.JoinedStr)):
            if not isinstance(node.msg, ast.Constant) or isinstance(node.msg.value, str):
                yield node.msg  # an assert's message: what a reader sees when it fails
        if not isinstance(node, ast.Call) or _call_name(node) not in READER_STRINGS:
            continue
        wanted = READER_STRINGS[_call_name(node)]
        args = list(node.args) if "*" in wanted else [
            node.args[i] for i in wanted if isinstance(i, int) and i < len(node.args)]
        args += [k.value for k in node.keywords if k.arg in wanted]
        for arg in args:
            if isinstance(arg, ast.JoinedStr) or (
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                yield arg


def code_pieces(source):
    """``[(start, end, kind)]``: character spans of a code cell's comments and reader strings."""
    masked = _masked(source)
    lines = masked.split("\n")
    pieces = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(masked).readline))
        tree = ast.parse(masked)
    except (SyntaxError, tokenize.TokenError):
        return []
    for tok in tokens:
        if tok.type == tokenize.COMMENT and not DIRECTIVE.match(tok.string):
            start = sum(len(line) + 1 for line in lines[: tok.start[0] - 1]) + tok.start[1]
            pieces.append((start, start + len(tok.string), "comment"))
    for node in _reader_string_nodes(tree):
        pieces.append((_offset(lines, node.lineno, node.col_offset),
                       _offset(lines, node.end_lineno, node.end_col_offset), "string"))
    return sorted(pieces)


def entries_of(cell_type, source):
    """``[(english text, kind)]`` of one cell's source, in order, without repeats."""
    found = []
    if cell_type == "markdown":
        lines = source.split("\n")
        found = [("\n".join(lines[a: b + 1]), "markdown") for a, b in markdown_units(source)]
    elif cell_type == "code":
        found = [(source[a:b], kind) for a, b, kind in code_pieces(source)]
    seen, entries = set(), []
    for text, kind in found:
        if text not in seen:
            seen.add(text)
            entries.append((text, kind))
    return entries


def translate_cell_source(cell, translations, translated=None):
    """The cell's source with each entry replaced by ``translations.get(english, english)``.

    With ``translated`` (the lessons that have a Korean edition), a markdown cell's
    links are re-pointed for ``notebooks/ko/`` too (``repoint_links``).
    """
    if cell.cell_type == "markdown":
        lines = cell.source.split("\n")
        units = markdown_units(cell.source)
        inside = {i for a, b in units for i in range(a, b + 1)}
        if translated is not None:  # lines that are no entry (the badge) are English
            lines = [line if i in inside else repoint_links(line, translated=translated)
                     for i, line in enumerate(lines)]
        for a, b in reversed(units):
            text = "\n".join(lines[a: b + 1])
            korean = translations.get(text, text)
            if translated is not None:
                korean = repoint_links(korean, text, translated)
            lines[a: b + 1] = korean.split("\n")
        return "\n".join(lines)
    source = cell.source
    for a, b, _ in reversed(code_pieces(source)):
        source = source[:a] + translations.get(source[a:b], source[a:b]) + source[b:]
    return source


# --- Catalogues --------------------------------------------------------------------------

def catalogue_path(root, notebook):
    return Path(root) / "locales" / LANG / (Path(notebook).stem + ".po")


def korean_path(root, notebook):
    return Path(root) / "notebooks" / LANG / Path(notebook).name


def _new_catalogue(notebook):
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"keras-course {Path(notebook).stem}",
        "Language": LANG,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    return po


def extract(nb, notebook):
    """A fresh catalogue of every entry of ``nb`` (all untranslated)."""
    import polib

    po = _new_catalogue(notebook)
    for cell in nb.cells:
        for text, kind in entries_of(cell.cell_type, cell.source):
            po.append(polib.POEntry(msgctxt=cell.id, msgid=text, msgstr="", comment=kind,
                                    occurrences=[(Path(notebook).name, cell.id)]))
    return po


def merge(new, old):
    """``new`` (fresh from the notebook) filled in from ``old``, as ``msgmerge`` does."""
    import polib

    if old is None:
        return new
    live = [e for e in old if not e.obsolete]
    exact = {(e.msgctxt, e.msgid): e for e in live}
    new_keys = {(e.msgctxt, e.msgid) for e in new}
    used = set()
    for entry in new:
        match, edited = exact.get((entry.msgctxt, entry.msgid)), False
        if match is None:
            candidates = [e for e in live if e.msgctxt == entry.msgctxt and id(e) not in used
                          and (e.msgctxt, e.msgid) not in new_keys]
            match = _closest(entry, candidates)
            edited = True
        if match is None:
            continue
        used.add(id(match))
        entry.msgstr, entry.tcomment = match.msgstr, match.tcomment
        if entry.msgstr and (edited or "fuzzy" in match.flags):
            entry.flags.append("fuzzy")
            entry.previous_msgid = match.msgid if edited else match.previous_msgid
    for entry in live:
        if id(entry) not in used and entry.msgstr:
            new.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                                     msgstr=entry.msgstr, obsolete=True))
    return new


def _closest(entry, candidates):
    best, score = None, 0.6
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, entry.msgid, candidate.msgid).ratio()
        if ratio > score:
            best, score = candidate, ratio
    return best


def translations_of(po):
    """``{cell id: {english: korean}}`` of the finished entries (not fuzzy, not empty)."""
    table = {}
    for entry in po:
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
            table.setdefault(entry.msgctxt, {})[entry.msgid] = entry.msgstr
    return table


def problems(po, notebook):
    """One line per entry that is fuzzy, untranslated or obsolete, naming notebook and cell."""
    name, lines = Path(notebook).name, []
    for entry in po:
        state = ("obsolete" if entry.obsolete else "fuzzy" if "fuzzy" in entry.flags
                 else "untranslated" if not entry.msgstr else None)
        if state:
            lines.append(f"{name} cell {entry.msgctxt}: {state}: {entry.msgid[:60]!r}")
    return lines


# --- Building the Korean notebook ----------------------------------------------------------

LINK = re.compile(r"(\]\(|src=\")([^)\"#\s][^)\"\s]*)")


def repoint_links(text, english=None, translated=()):
    """A Korean cell's links, re-pointed from ``notebooks/ko/``.

    Only links copied from the English text (``english``; all of them when it is
    ``None``) move: a relative link gets ``../`` in front, a sibling lesson link stays
    a sibling if that lesson's Korean edition exists (its name is in ``translated``),
    else goes to the English lesson, and a Colab badge opens the Korean notebook. A link
    the translator wrote is kept as written (relative to ``notebooks/ko/``).
    """
    copied = None if english is None else {m.group(2) for m in LINK.finditer(english)}

    def fix(match):
        target = match.group(2)
        if copied is not None and target not in copied:
            return match.group(0)
        if "colab.research.google.com/github/" in target:
            target = re.sub(r"/notebooks/(\d\d_[^/]+\.ipynb)$", rf"/notebooks/{LANG}/\1", target)
        elif not (re.match(r"^[a-z]+:", target) or target.startswith("/")) and not (
                re.match(r"^\d\d_[^/]*\.ipynb$", target) and target in translated):
            target = "../" + target
        return match.group(1) + target
    return LINK.sub(fix, text)


def _string_value(source):
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return node if isinstance(node, ast.JoinedStr) else None


def _fstring_pattern(node):
    """A regex matching what an f-string prints, and the names of its placeholders."""
    parts, names = [], []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(re.escape(value.value))
        else:
            names.append(ast.unparse(value))
            parts.append("(.*?)")
    return "".join(parts), names


def translate_output(text, pairs):
    """``text`` (what a cell printed) with each printed English string replaced by its Korean."""
    for english, korean in pairs:
        en, ko = _string_value(english), _string_value(korean)
        if isinstance(en, str) and isinstance(ko, str):
            if en:
                text = text.replace(en, ko)
        elif isinstance(en, ast.JoinedStr) and isinstance(ko, ast.JoinedStr):
            pattern, names = _fstring_pattern(en)
            ko_values = ko.values

            def fill(match, names=names, ko_values=ko_values):
                got = dict(zip(names, match.groups()))
                return "".join(v.value if isinstance(v, ast.Constant) else
                               got.get(ast.unparse(v), "") for v in ko_values)
            text = re.sub(f"(?m)^{pattern}$", fill, text)
    return text


def _message_patterns():
    """``[(regex of an English check message, its Korean template)]`` (course_utils.exercises)."""
    from course_utils.exercises import MESSAGES

    def flat(messages):
        return {key: value for key, value in messages.items() if isinstance(value, str)} | {
            f"status {k}": "  " + v for k, v in messages["status"].items()}
    english, korean = flat(MESSAGES["en"]), flat(MESSAGES["ko"])
    patterns = []
    for key, template in english.items():
        if key == "exercise":
            continue
        regex = re.escape(template)
        for field in ("name", "hint", "error"):
            regex = regex.replace(re.escape("{" + field + "}"), f"(?P<{field}>.+?)")
        patterns.append((re.compile(f"^{regex}$"), korean[key]))
    return patterns


def translate_check_messages(text):
    """What ``check_exercise`` and ``exercise_summary`` printed in English, as Korean prints it."""
    lines = []
    for line in text.split("\n"):
        for regex, korean in _message_patterns():
            match = regex.match(line)
            if match:
                fields = match.groupdict()
                if "name" in fields:
                    fields["name"] = re.sub(r"^Exercise (\d+)$", r"연습문제 \1", fields["name"])
                line = korean.format(**fields)
                break
        lines.append(line)
    return "\n".join(lines)


def _speaks_korean(source):
    """Whether a code cell runs a check whose exercise name is Korean (it switches the kernel)."""
    try:
        tree = ast.parse(_masked(source))
    except SyntaxError:
        return False
    return any(isinstance(node, ast.Call) and _call_name(node) == "check_exercise"
               and node.args and isinstance(node.args[0], ast.Constant)
               and re.search("[\uac00-\ud7a3]", str(node.args[0].value))
               for node in ast.walk(tree))


def build_notebook(nb, po, translated=()):
    """The Korean edition of ``nb`` (a new notebook; ``nb`` is left as it is).

    ``translated``: the file names of the lessons that have a Korean edition.
    """
    import copy

    from .nbfmt import canonicalize

    table = translations_of(po) if po is not None else {}
    ko = copy.deepcopy(nb)
    korean_checks = False  # a check with a Korean name has run: messages in Korean from here
    for cell in ko.cells:
        translations = table.get(cell.id, {})
        english = cell.source
        cell.source = translate_cell_source(cell, translations, translated)
        if cell.cell_type == "markdown":
            continue
        if cell.cell_type != "code":
            continue
        pairs = [(text, translations[text]) for text, kind in entries_of("code", english)
                 if kind == "string" and text in translations]
        korean_checks = korean_checks or _speaks_korean(cell.source)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                if korean_checks:
                    out["text"] = translate_check_messages(out["text"])
                out["text"] = translate_output(out["text"], pairs)
    return canonicalize(ko)


def same_computation(english, korean):
    """Whether two code cells compute the same: equal ASTs but for the reader's strings."""
    def normalized(source):
        tree = ast.parse(_masked(source))
        for node in _reader_string_nodes(tree):
            if isinstance(node, ast.JoinedStr):
                node.values = [v for v in node.values if not isinstance(v, ast.Constant)]
            else:
                node.value = ""
        return ast.dump(tree)
    return normalized(english) == normalized(korean)


# --- Command line ----------------------------------------------------------------------

def _notebooks(root, given):
    paths = [Path(p) for p in given] or sorted((Path(root) / "notebooks").glob(
        "[0-9][0-9]_*.ipynb"))
    if not paths:
        raise SystemExit(f"course-translate: no notebook found in {Path(root) / 'notebooks'}")
    return paths


def _read_po(path):
    import polib

    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def update(root, notebook):
    import nbformat

    path = catalogue_path(root, notebook)
    po = merge(extract(nbformat.read(notebook, as_version=4), notebook), _read_po(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def built_text(root, notebook):
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    translated = {p.stem + ".ipynb" for p in (Path(root) / "locales" / LANG).glob("*.po")}
    po = _read_po(catalogue_path(root, notebook))
    return nbformat.writes(build_notebook(nb, po, translated)) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "build", "check"))
    parser.add_argument("notebooks", nargs="*", help="English notebooks (default: all)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    paths = _notebooks(root, args.notebooks)
    failures = []
    for notebook in paths:
        if args.command == "update":
            print(f"wrote {update(root, notebook)}")
        elif args.command == "build":
            target = korean_path(root, notebook)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(built_text(root, notebook), encoding="utf-8")
            print(f"wrote {target}")
        else:
            failures += check(root, notebook)
    for line in failures:
        print(line)
    return 1 if failures else 0


def check(root, notebook):
    """Everything about ``notebook``'s Korean edition that is not up to date, one line each."""
    po, target = _read_po(catalogue_path(root, notebook)), korean_path(root, notebook)
    if po is None:
        return [f"{Path(notebook).name}: no catalogue {catalogue_path(root, notebook)}"]
    lines = problems(merge(extract(__import__("nbformat").read(notebook, as_version=4),
                                   notebook), po), notebook)
    if not target.exists():
        lines.append(f"{Path(notebook).name}: no Korean notebook {target}")
    elif target.read_text(encoding="utf-8") != built_text(root, notebook):
        lines.append(f"{Path(notebook).name}: {target} differs from what build writes")
    return lines


if __name__ == "__main__":
    sys.exit(main())
