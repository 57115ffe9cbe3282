"""Instructor and maintainer tools; learners never import these.

Each is a console command installed with the package (``pyproject.toml``'s
``[project.scripts]``) and needs the ``tools`` extra (nbformat, nbclient), which the
quickstart installs:

- ``course-refresh``: re-execute notebooks in place, store their outputs;
- ``course-student-copies``: student copies without outputs, solutions or answer prose;
- ``course-nbfmt``: write (or ``--check``) notebooks in the form JupyterLab saves;
- ``course-batch-sweep``: the batch-size sweep of notebook 03 on this machine;
- ``course-assert-margins``: each lesson assert's compared values on every backend.

The commands that read notebooks work on the paths given, else on ``./notebooks`` of
the current directory (the repository's root, where the README's commands run); they
never look inside the installed package. ``import course_utils`` does not import this
package, and these tools use only the learner package's public names.
"""

import argparse
from pathlib import Path

BACKENDS = ("tensorflow", "jax", "torch")  # the Keras 3 backends the course runs on
LESSON_PATTERN = "[0-9][0-9]_*.ipynb"  # 00_start_here.ipynb, 01_..., one file per lesson


def find_notebooks(paths=(), pattern=LESSON_PATTERN):
    """The notebooks a command works on: ``paths`` if given, else ``./notebooks/<pattern>``.

    Raises ``SystemExit`` (exit status 1, a one-line message) when a given path is not an
    existing ``.ipynb`` file, or when there is no notebook to work on.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise SystemExit(f"error: {path} is not a notebook (an existing .ipynb file)")
    if paths:
        return paths
    folder = Path.cwd() / "notebooks"
    found = sorted(folder.glob(pattern))
    if not found:
        raise SystemExit(
            f"error: no notebooks ({pattern}) in {folder}: run this command at the "
            "repository's root, or name the notebooks (e.g. notebooks/01_*.ipynb)")
    return found


def check_parser(description, what="a file", *, root=False):
    """An argument parser with the ``--check`` flag (and ``--root``) the rewriting tools share."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help=f"change nothing; exit 1 if {what} would change")
    if root:
        parser.add_argument("--root", type=Path, default=Path.cwd(),
                            help="the repository root (default: the current directory)")
    return parser


def write_changed(new_texts, check, done="updated", would="would update"):
    """Write each ``(path, text)`` whose file differs; with ``check`` only list them.

    Prints one line per file that changes (or would) and returns the exit status: 1 when
    ``check`` found a file to change, else 0.
    """
    changed = []
    for path, text in new_texts:
        if Path(path).read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                Path(path).write_text(text, encoding="utf-8")
    for path in changed:
        print(f"{would if check else done} {path}")
    return 1 if check and changed else 0
