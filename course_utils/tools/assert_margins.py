"""Each lesson assert's compared values on each Keras backend: how much room its tolerance has.

    course-assert-margins notebooks/05_*.ipynb                       # report, all backends
    course-assert-margins notebooks/05_*.ipynb --backends tensorflow jax
    course-assert-margins --write notebooks/05_*.ipynb               # store them in the cells

Every backend draws its own random starting weights from the same seed, so trained numbers
differ between backends. A lesson keeps the values measured on each backend in the asserting
cell's metadata ``assert_margins``, one string per assert line whose values differ
(``{"assert ratio > 1.15": "tensorflow 1.52 · jax 1.33 · torch 1.51"}``), so a reader of
the short assert can see how much room its tolerance has; ``--write`` measures and writes
them (and drops the ones of asserts whose values no longer differ). It runs each notebook
top to bottom in a fresh kernel per backend (a copy: the report mode writes nothing back)
with a probe after every cell that asserts: for each comparison in each ``assert``
(``a < b``, ``a > k * b`` ...) it prints both sides, numbers rounded to 4 significant
digits. Values inside comprehensions are not probed.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

from course_utils.tools import BACKENDS

MARK = "@@assert-margins "
PROBE = """
def _course_probe(asserts):
    import json
    import numpy as np
    def show(expr):
        try:
            value = eval(expr, globals())
        except Exception:
            return "?"
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):  # a name, a tuple of strings ...
            return repr(value)[:60]
        return float(f"{float(array):.4g}") if array.size == 1 else f"array{array.shape}"
    print(__MARK__ + json.dumps([[test, [[o, show(o)] for o in ops]] for test, ops in asserts]))
_course_probe(__ASSERTS__)
"""


SCOPES = (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.Lambda)
OPERATORS = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=",
             ast.NotEq: "≠", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}


def asserts(source):
    """The ``ast.Assert`` nodes of a code cell's source (none if it is not Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Assert)]


def comparisons(test):
    """The ``ast.Compare`` nodes of an assert's test, outside comprehensions, in order."""
    found, stack = [], [test]
    while stack:
        part = stack.pop(0)
        if isinstance(part, SCOPES):
            continue  # their names exist only inside
        if isinstance(part, ast.Compare):
            found.append(part)
        stack.extend(ast.iter_child_nodes(part))
    return found


def compared(source):
    """[(assert test, [both sides of each comparison in it])] for a code cell's source."""
    return [(ast.get_source_segment(source, node.test),
             [ast.get_source_segment(source, side) for c in comparisons(node.test)
              for side in (c.left, *c.comparators)])
            for node in asserts(source)]


def assert_lines(source):
    """The source of each assert statement of a cell: the keys of ``assert_margins``."""
    return [ast.get_source_segment(source, node) for node in asserts(source)]


def measure(path, backend):
    """[(assert test, [(side, value)])] for every assert of ``path`` run on ``backend``."""
    return [found for _, found in measure_cells(path, backend)]


def measure_cells(path, backend):
    """[(cell index, (assert test, [(side, value)]))] for ``path`` run on ``backend``."""
    import nbformat
    from nbformat.v4 import new_code_cell

    from course_utils.tools.refresh import run_notebook

    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        asserts = compared(cell.source) if cell.cell_type == "code" else []
        if asserts:
            probe = PROBE.replace("__MARK__", repr(MARK)).replace("__ASSERTS__", repr(asserts))
            cells.append(new_code_cell(probe))
    nb.cells = cells
    run_notebook(nb, Path(path).parent, backend=backend)
    results, index = [], -1
    for cell in nb.cells:
        index += MARK not in cell.source  # a probe cell belongs to the cell before it
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith(MARK):
                    results += [(index, found) for found in json.loads(line[len(MARK):])]
    return results


def report(per_backend):
    """Lines: each assert, then each compared side with its value on every backend."""
    backends = list(per_backend)
    lines = []
    for k, (test, sides) in enumerate(per_backend[backends[0]]):
        lines.append(f"assert {test}")
        for j, (side, _) in enumerate(sides):
            values = [str(per_backend[b][k][1][j][1]) for b in backends]
            lines.append(f"    {side}: " + " · ".join(f"{b} {v}" for b, v in zip(backends, values)))
    return lines


def numbers(column):
    """One side's values on every backend, as a margin shows them: 3 significant digits,
    the same decimals for all (``1.000 · 0.967``)."""
    if not all(isinstance(v, (int, float)) for v in column):
        return [str(v) for v in column]
    texts = [f"{v:.3g}" for v in column]
    if any("e" in s for s in texts):
        return texts
    decimals = max(len(s.partition(".")[2]) for s in texts)
    return [f"{v:.{decimals}f}" for v in column]


def margin(test, per_backend):
    """``"tensorflow 0.86 · jax 0.91 · torch 0.86"`` for one assert, or ``None``.

    ``per_backend`` maps each backend to the assert's ``[(side, value)]``. Each comparison
    whose values differ between backends shows its one varying side, or its whole chain
    (``0.88 < 1.33 < 1.94``) when more than one side varies; ``None`` when nothing varies.
    """
    backends = list(per_backend)
    pieces = {b: [] for b in backends}
    start = 0
    for compare in comparisons(ast.parse(f"({test})", mode="eval").body):
        width = 1 + len(compare.comparators)
        columns = [numbers([per_backend[b][start + k][1] for b in backends])
                   for k in range(width)]
        start += width
        varying = [k for k, column in enumerate(columns) if len(set(map(str, column))) > 1]
        if not varying:
            continue
        ops = [OPERATORS.get(type(op), "?") for op in compare.ops]
        for i, b in enumerate(backends):
            if len(varying) == 1:
                pieces[b].append(columns[varying[0]][i])
            else:
                chain = [columns[0][i]]
                for op, column in zip(ops, columns[1:]):
                    chain += [op, column[i]]
                pieces[b].append(" ".join(chain))
    if not any(pieces.values()):
        return None
    return " · ".join(f"{b} {', '.join(pieces[b])}" for b in backends)


def write_margins(path, per_backend_cells):
    """Store each cell's margins in its ``assert_margins`` metadata; return how many."""
    import nbformat

    from course_utils.tools.nbfmt import canonicalize

    nb = nbformat.read(path, as_version=4)
    backends = list(per_backend_cells)
    written = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        measured = {b: [found for i, found in per_backend_cells[b] if i == index]
                    for b in backends}
        margins = {}
        for k, (line, (test, _)) in enumerate(zip(assert_lines(cell.source),
                                                  measured[backends[0]])):
            text = margin(test, {b: measured[b][k][1] for b in backends})
            if text:
                margins[line] = text
        if margins:
            cell.metadata["assert_margins"] = margins
        else:
            cell.metadata.pop("assert_margins", None)
        written += len(margins)
    Path(path).write_text(nbformat.writes(canonicalize(nb)) + "\n", encoding="utf-8")
    return written


def main(argv=None):
    from course_utils.tools import find_notebooks

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--write", action="store_true",
                        help="store the values in each asserting cell's assert_margins metadata")
    args = parser.parse_args(argv)
    if args.write and len(args.backends) < 2:
        parser.error("--write compares backends: give at least two with --backends")
    for path in find_notebooks(args.notebooks):
        print(f"# {path.name}", flush=True)
        cells = {b: measure_cells(path, b) for b in args.backends}
        if args.write:
            print(f"wrote {write_margins(path, cells)} margins into {path}")
        else:
            measured = {b: [found for _, found in cells[b]] for b in args.backends}
            print("\n".join(report(measured)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
