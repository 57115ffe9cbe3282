"""Instructor and maintainer tools; learners never import these.

Each is a console command installed with the package (``pyproject.toml``'s
``[project.scripts]``) and needs the ``tools`` extra (nbformat, nbclient), which the
quickstart installs:

- ``course-refresh``: re-execute notebooks in place, store their outputs;
- ``course-student-copies``: student copies without outputs, solutions or answer prose;
- ``course-nbfmt``: write (or ``--check``) notebooks in the form JupyterLab saves;
- ``course-batch-sweep``: the batch-size sweep of notebook 03 on this machine.

``import course_utils`` does not import this package.
"""

BACKENDS = ("tensorflow", "jax", "torch")  # the Keras 3 backends the course runs on
