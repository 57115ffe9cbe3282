"""Import TensorFlow/Keras without the C++ start-up chatter.

TensorFlow >= 2.20 writes its start-up messages ("oneDNN custom operations are on",
"Could not find cuda drivers", "cuInit failed", ...) through absl *before* it reads
``TF_CPP_MIN_LOG_LEVEL``, straight to file descriptor 2. Jupyter forwards that
descriptor into the notebook as stderr, where it differs from machine to machine.
So the first import (and the first device query, which logs too) runs with fd 2
pointed at /dev/null. Later messages are silenced by ``TF_CPP_MIN_LOG_LEVEL``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import warnings


@contextlib.contextmanager
def _fd2_silenced():
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras_quietly():
    """Import keras (and its backend) with the backends' C++ start-up logging silenced.

    On TensorFlow and JAX the first device query logs too (CUDA probes), so it runs
    silenced as well; JAX's "falling back to cpu" warning is not shown either. On JAX
    and PyTorch, Keras still imports TensorFlow when it is installed (for ``tf.data``
    and to seed it in ``keras.utils.set_random_seed``), so TensorFlow is imported here,
    silenced, on every backend.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" in sys.modules:
        return sys.modules["keras"]
    with _fd2_silenced(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras

        backend = keras.backend.backend()
        if importlib.util.find_spec("tensorflow") is not None:
            import tensorflow as tf

            tf.config.list_physical_devices()  # the CUDA probe logs on first use
        if backend == "jax":
            import jax

            jax.devices()
    return keras
