"""Write the repository URL, kept once in pyproject.toml, wherever the course names it.

    course-urls                    # rewrite badges, setup cells and docs in place
    course-urls --check            # change nothing; exit 1 and list what disagrees

``[project.urls] Repository`` in ``pyproject.toml`` is the one home of the URL, and the
package ``version`` names the git tag ``v<version>`` that the notebooks go with. This
command writes both into every Colab badge (``.../github/OWNER/NAME/blob/v0.1.0/
notebooks/NN_x.ipynb``) and every ``course-utils @ git+URL@v0.1.0`` install line of the
notebooks (``notebooks/``, ``docs/*.ipynb``), the README and ``docs/*.md``, so a notebook
opened from its badge installs the helpers of the same release. Run from the repository
root (or give ``--root``).
"""

from __future__ import annotations

import re
import sys

from . import check_parser, write_changed

BADGE = re.compile(r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/"
                   r"[\w./-]+?/notebooks/")
INSTALL = re.compile(r"course-utils @ git\+https://[^\s\"'`@]+(?:@[\w./-]+)?")


def project(root):
    """(repository URL, git ref) from ``root/pyproject.toml``."""
    if not (root / "pyproject.toml").is_file():
        raise SystemExit(f"no pyproject.toml in {root}: run course-urls in the repository root "
                         "or give --root")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    url = re.search(r'^Repository = "(https://github\.com/[\w.-]+/[\w.-]+)"', text, flags=re.M)
    version = re.search(r'^version = "([^"]+)"', text, flags=re.M)
    if not (url and version):
        raise SystemExit(f"{root / 'pyproject.toml'}: no [project.urls] Repository "
                         "(https://github.com/OWNER/NAME) or no version")
    return url.group(1), f"v{version.group(1)}"


def rewrite(text, url, ref):
    """``text`` with every Colab badge and install line pointing at ``url`` and ``ref``."""
    owner_name = url.removeprefix("https://github.com/")
    text = BADGE.sub(f"https://colab.research.google.com/github/{owner_name}/blob/{ref}/"
                     "notebooks/", text)
    return INSTALL.sub(f"course-utils @ git+{url}@{ref}", text)


def files(root):
    """The files that name the repository: notebooks, README, docs."""
    return [*sorted((root / "notebooks").glob("*.ipynb")), *sorted((root / "docs").glob("*.ipynb")),
            root / "README.md", *sorted((root / "docs").glob("*.md"))]


def updated(path, url, ref):
    """The text ``path`` should have (notebooks in JupyterLab's saved form)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return rewrite(text, url, ref)
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    changed = False
    for cell in nb.cells:
        new = rewrite(cell.source, url, ref)
        changed |= new != cell.source
        cell.source = new
    return nbformat.writes(nb) + "\n" if changed else text


def main(argv=None):
    args = check_parser(__doc__.splitlines()[0], root=True).parse_args(argv)
    url, ref = project(args.root)
    if not list((args.root / "notebooks").glob("*.ipynb")):
        raise SystemExit(f"no notebooks in {args.root / 'notebooks'}")
    return write_changed(((path, updated(path, url, ref)) for path in files(args.root)), args.check,
                   f"updated ({url} @ {ref})", f"would update ({url} @ {ref})")


if __name__ == "__main__":
    sys.exit(main())
