import os
import random
import subprocess
import sys
import types

import numpy as np
import pytest

from course_utils import library_versions, seed_everything, setup_notebook


def test_setup_prints_versions_and_device(capsys):
    assert setup_notebook(7) == 7
    out = capsys.readouterr().out
    for name in ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn"):
        assert name in out
    import keras

    backend = keras.backend.backend()
    line = next(x for x in out.splitlines() if x.startswith("Keras backend: "))
    # the backend library's version too, unless it is TensorFlow (already listed above)
    expected = "" if backend == "tensorflow" else " " + library_versions((backend,))[backend]
    assert line == f"Keras backend: {backend}{expected}"
    assert "GPU visible: " in out and "seed: 7" in out


def test_setup_seeds_python_numpy_and_keras():
    import keras

    draws = []
    for _ in range(2):
        setup_notebook(123, show_versions=False)
        layer = keras.layers.Dense(3)
        layer.build((None, 2))
        draws.append((random.random(), np.random.rand(), layer.get_weights()[0]))
    assert draws[0][0] == draws[1][0] and draws[0][1] == draws[1][1]
    np.testing.assert_array_equal(draws[0][2], draws[1][2])


def test_setup_sets_plot_defaults():
    import matplotlib as mpl

    mpl.rcParams["axes.grid"] = False
    setup_notebook(show_versions=False)
    assert mpl.rcParams["axes.grid"] is True


def test_library_versions_reports_missing_packages():
    versions = library_versions(("numpy", "surely-not-a-package-xyz"))
    assert versions["numpy"] == np.__version__
    assert versions["surely-not-a-package-xyz"] == "not installed"


@pytest.mark.parametrize("seed, exc", [(-1, ValueError), (1.5, TypeError), ("1", TypeError)])
def test_bad_seed(seed, exc):
    with pytest.raises(exc, match="seed"):
        setup_notebook(seed)
    with pytest.raises(exc, match="seed"):
        seed_everything(seed)


def test_bad_show_versions():
    with pytest.raises(TypeError, match="show_versions"):
        setup_notebook(show_versions="no")


def test_setup_cell_writes_nothing_to_stderr():
    """The backends' C++ start-up logging must not reach a notebook's stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    proc = subprocess.run(
        [sys.executable, "-c", "from course_utils import make_dataset, setup_notebook; "
                               "setup_notebook(show_versions=False); import keras; "
                               "keras.ops.ones((2,)); make_dataset([[1.0]], [[2.0]])"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_setup_silences_only_the_expected_dataset_shuffle_warning():
    import warnings

    setup_notebook(show_versions=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("default")  # what the notebook's own filters would show
        setup_notebook(show_versions=False)  # re-installs its filter on top
        warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` "
                      "was provided as a tf.data.Dataset.", UserWarning, stacklevel=1)
        warnings.warn("Your input ran out of data", UserWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["Your input ran out of data"]


def test_use_inline_figures_does_nothing_outside_a_kernel():
    from course_utils.notebook_setup import in_notebook, use_inline_figures

    assert not in_notebook()  # pytest runs without an IPython kernel
    assert use_inline_figures() is False


def test_in_notebook_only_in_a_kernel(monkeypatch):
    from course_utils.notebook_setup import in_notebook, use_inline_figures

    magics = []
    kernel_shell = types.SimpleNamespace(kernel=object(),
                                         run_line_magic=lambda *a: magics.append(a))
    fake = types.SimpleNamespace(get_ipython=lambda: None)  # IPython imported, no shell
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert not in_notebook() and not use_inline_figures()
    fake.get_ipython = lambda: types.SimpleNamespace()  # a terminal IPython: no kernel
    assert not in_notebook() and not use_inline_figures()
    fake.get_ipython = lambda: kernel_shell
    assert in_notebook() and use_inline_figures()
    assert magics == [("matplotlib", "inline")]


def test_figures_show_inline_in_a_kernel_even_with_mplbackend_agg(monkeypatch):
    # Servers and containers often export MPLBACKEND=Agg; the kernel inherits it.
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = new_notebook(cells=[new_code_cell(
        "from course_utils import setup_notebook\n"
        "setup_notebook(show_versions=False)\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 3, 2])\n"
        "plt.show()")])
    NotebookClient(nb, kernel_name="python3", timeout=180).execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs), outputs
