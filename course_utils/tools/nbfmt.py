"""Notebooks stored in the form JupyterLab saves them, so opening one leaves no diff.

    course-nbfmt                      # rewrite ./notebooks/*.ipynb in place
    course-nbfmt --check [paths ...]  # exit 1 and list the files that would change

JupyterLab fills in the kernel's full ``kernelspec`` and ``language_info`` when it opens a
notebook, keeps each cell's ``id``, and writes the JSON with ``nbformat.write``. This
module writes the same: it removes only what a run adds (timestamps, execution timing,
"collapsed"/"scrolled" view state), never renumbers cell ids, and gives an id to a cell
that lacks one. Like ``nbfmt --test`` of the TensorFlow docs, ``--check`` is what the
tests and the pre-commit hook run.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from pathlib import Path

from . import check_parser, find_notebooks, write_changed

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
RUN_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")


def language_info(version=None):
    """What ipykernel reports as ``language_info`` (JupyterLab stores it verbatim)."""
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": version or platform.python_version(),
    }


def canonicalize(nb):
    """Return ``nb`` in JupyterLab's saved form (modified in place)."""
    old = nb.metadata.get("language_info", {})
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": language_info(old.get("version")),
        **({"colab": nb.metadata["colab"]} if "colab" in nb.metadata else {}),
    }
    seen = set()
    for i, cell in enumerate(nb.cells):
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            digest = hashlib.sha1(f"{i}\n{cell.source}".encode()).hexdigest()[:8]
            cell_id = f"{cell.cell_type[:2]}{i:02d}-{digest}"
        cell["id"] = cell_id
        seen.add(cell_id)
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("needs_background", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def formatted(path):
    """The text ``path`` has in canonical form."""
    import nbformat

    nb = canonicalize(nbformat.read(path, as_version=4))
    return nbformat.writes(nb) + "\n"


def main(argv=None):
    parser = check_parser(__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = find_notebooks(args.notebooks, "*.ipynb")
    return write_changed(((path, formatted(path)) for path in paths), args.check,
                   "reformatted", "would reformat")


if __name__ == "__main__":
    sys.exit(main())
