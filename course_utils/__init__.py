"""Helpers for the deep-learning fundamentals course (Keras 3).

Importing the package silences TensorFlow's C++ start-up logging first, so that the
notebooks' stored outputs hold no machine-specific stderr. Each public function says
in its docstring which notebook introduces it.
"""

from ._quiet import import_keras_quietly

import_keras_quietly()

from .batch_size import batch_timing_table, find_batch_size_limit, time_batch_sizes  # noqa: E402
from .data import get_sin_data  # noqa: E402
from .datasets import load_iris, load_mnist  # noqa: E402
from .exercises import check_exercise  # noqa: E402
from .live_plot import LivePlot  # noqa: E402
from .notebook_setup import (  # noqa: E402
    gpu_names,
    library_versions,
    seed_everything,
    set_plot_defaults,
    setup_notebook,
)
from .plotting import join_histories, plot_history, plot_predictions  # noqa: E402
from .training import fit_n_times, fit_one_more, make_dataset, steps_per_epoch  # noqa: E402

__all__ = [
    "LivePlot",
    "batch_timing_table",
    "check_exercise",
    "find_batch_size_limit",
    "fit_n_times",
    "fit_one_more",
    "get_sin_data",
    "gpu_names",
    "join_histories",
    "library_versions",
    "load_iris",
    "load_mnist",
    "make_dataset",
    "plot_history",
    "plot_predictions",
    "seed_everything",
    "set_plot_defaults",
    "setup_notebook",
    "steps_per_epoch",
    "time_batch_sizes",
]
__version__ = "0.1.0"
