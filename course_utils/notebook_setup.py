"""The first code cell of every notebook: ``setup_notebook()``.

Seeds Python, NumPy and Keras; silences TensorFlow's C++ logging; shows figures inline
(whatever ``MPLBACKEND`` says) and sets plot defaults;
prints the library versions and whether a GPU is visible. Introduced in notebook 00.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import sys
import warnings

import matplotlib as mpl

from ._checks import check_bool, check_int
from ._quiet import import_keras_quietly
from .training import _use_optree_on_torch

DEFAULT_SEED = 42
LIBRARIES = ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn")


def library_versions(names=LIBRARIES):
    """Installed versions as ``{name: version}``; ``"not installed"`` where missing."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def gpu_names():
    """Names of the GPUs the Keras backend can see (an empty list on a CPU-only machine).

    ``setup_notebook`` prints them in every notebook. Introduced in notebook 03.
    """
    keras = import_keras_quietly()
    backend = keras.backend.backend()
    # imported here: only the active backend's library need be installed
    if backend == "tensorflow":
        import tensorflow as tf

        return [d.name for d in tf.config.list_physical_devices("GPU")]
    if backend == "jax":
        import jax

        return [str(d) for d in jax.devices() if d.platform == "gpu"]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return []


def seed_everything(seed=DEFAULT_SEED):
    """Seed Python's ``random``, NumPy and the Keras backend in one call."""
    seed = check_int("seed", seed, minimum=0)
    keras = import_keras_quietly()
    keras.utils.set_random_seed(seed)
    return seed


def set_plot_defaults():
    """Readable, compact figures: the same look in JupyterLab, Colab and the stored outputs."""
    mpl.rcParams.update({
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 80,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "font.size": 10,
    })


def _kernel_shell():
    """The IPython shell of the Jupyter kernel we run in, or ``None`` outside a kernel."""
    ipython = sys.modules.get("IPython")  # a kernel has imported it; a script need not
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if getattr(shell, "kernel", None) is not None else None


def in_notebook():
    """True inside a Jupyter kernel (JupyterLab, Notebook, Colab, VS Code), else False.

    A plain ``ipython`` terminal or a script is not a kernel: there is nowhere to show
    an inline image. The one test of "are we in a notebook" in ``course_utils``.
    """
    return _kernel_shell() is not None


def use_inline_figures():
    """Inside a Jupyter kernel, show figures inline whatever ``MPLBACKEND`` says.

    Servers and containers often set ``MPLBACKEND=Agg``; in a kernel that would make
    every ``plt.show()`` draw nothing. Returns True when it switched (in a kernel),
    False elsewhere (a script or pytest keeps its backend).
    """
    shell = _kernel_shell()
    if shell is None:
        return False
    shell.run_line_magic("matplotlib", "inline")
    return True


def setup_notebook(seed=DEFAULT_SEED, *, show_versions=True):
    """Prepare a notebook: quiet TensorFlow, seed everything, plot defaults, print versions.

    Parameters
    ----------
    seed : int >= 0
        Seed for Python, NumPy and Keras (default 42). The same seed gives the same
        initial weights and data order on one machine; other machines may differ in
        the last digits, which is why the notebooks assert claims instead of
        printing raw losses.
    show_versions : bool
        Print Python, library versions, the Keras backend and the visible GPUs.

    Introduced in notebook 00; the first code cell of every notebook calls it.
    """
    seed = check_int("seed", seed, minimum=0)
    show_versions = check_bool("show_versions", show_versions)
    keras = import_keras_quietly()
    # Python-level chatter that would land in the notebook as stderr.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    # fit(dataset) warns that its default shuffle=True is ignored for a tf.data.Dataset;
    # make_dataset's pipelines reshuffle every epoch themselves, so that is expected.
    warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed, but will be ignored")
    seed_everything(seed)
    _use_optree_on_torch()  # PyTorch only: Keras' fast structure utilities (training.py)
    use_inline_figures()
    set_plot_defaults()
    if show_versions:
        print(f"Python {platform.python_version()}")
        for name, version in library_versions().items():
            print(f"{name:<13}{version}")
        backend = keras.backend.backend()  # TensorFlow's version is in the list above
        version = "" if backend == "tensorflow" else " " + library_versions((backend,))[backend]
        print(f"Keras backend: {backend}{version}")
        gpus = gpu_names()
        print(f"GPU visible: {', '.join(gpus) if gpus else 'none (running on the CPU)'}")
        print(f"seed: {seed}")
    return seed
