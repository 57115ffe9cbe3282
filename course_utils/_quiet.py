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
import os
import sys


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
    """Import keras (and its backend) with TensorFlow's C++ logging silenced; return keras."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" in sys.modules:
        return sys.modules["keras"]
    with _fd2_silenced():
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.config.list_physical_devices()  # the CUDA probe logs on first use
    return keras
