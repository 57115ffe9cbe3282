"""Helpers for the deep-learning fundamentals course (Keras 3).

``import course_utils`` is lean: it imports nothing heavy. Each helper loads its module
(and Keras, quietly: TensorFlow's C++ start-up logging silenced first, so the notebooks'
stored outputs hold no machine-specific stderr) the first time it is used, so the Keras
backend can still be chosen after ``import course_utils``, before the first helper
runs. Each public function says in its docstring which notebook introduces it.
"""

import importlib

_WHERE = {
    "LivePlot": "live_plot",
    "batch_timing_table": "batch_size",
    "check_exercise": "exercises",
    "exercise_summary": "exercises",
    "fast_fit": "training",
    "find_batch_size_limit": "batch_size",
    "fit_n_times": "training",
    "fit_one_more": "training",
    "get_sin_data": "datasets",
    "gpu_names": "notebook_setup",
    "join_histories": "plotting",
    "library_versions": "notebook_setup",
    "load_iris": "datasets",
    "load_mnist": "datasets",
    "make_dataset": "training",
    "plot_history": "plotting",
    "plot_predictions": "plotting",
    "seed_everything": "notebook_setup",
    "set_language": "exercises",
    "set_plot_defaults": "notebook_setup",
    "setup_notebook": "notebook_setup",
    "steps_per_epoch": "training",
    "time_batch_sizes": "batch_size",
}
__all__ = sorted(_WHERE)
__version__ = "0.1.0"


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module 'course_utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
