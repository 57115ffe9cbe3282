"""Each lesson assert's compared values on each Keras backend: how much room its tolerance has.

    course-assert-margins notebooks/05_*.ipynb                       # all three backends
    course-assert-margins notebooks/05_*.ipynb --backends tensorflow jax

Every backend draws its own random starting weights from the same seed, so trained numbers
differ between backends. A lesson states the values measured on each backend beside an
assert whose numbers differ (``# tensorflow 1.52 · jax 1.33 · torch 1.51``); this command
measures them. It runs each notebook top to bottom in a fresh kernel per backend (a copy:
nothing is written back) with a probe after every cell that asserts: for each comparison
in each ``assert`` (``a < b``, ``a > k * b`` …) it prints both sides, numbers rounded to
4 significant digits. Values inside comprehensions are not probed.
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


def compared(source):
    """[(assert test, [both sides of each comparison in it])] for a code cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            sides = []
            stack = [node.test]
            while stack:
                part = stack.pop(0)
                if isinstance(part, (ast.GeneratorExp, ast.ListComp, ast.SetComp,
                                     ast.DictComp, ast.Lambda)):
                    continue  # their names exist only inside
                if isinstance(part, ast.Compare):
                    sides += [ast.get_source_segment(source, o)
                              for o in (part.left, *part.comparators)]
                stack.extend(ast.iter_child_nodes(part))
            found.append((ast.get_source_segment(source, node.test), sides))
    return found


def measure(path, backend):
    """[(assert test, [(side, value)])] for every assert of ``path`` run on ``backend``."""
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
    results = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith(MARK):
                    results += json.loads(line[len(MARK):])
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"# {path.name}")
        print("\n".join(report({b: measure(path, b) for b in args.backends})))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
