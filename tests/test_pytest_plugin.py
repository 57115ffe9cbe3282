"""The course's pytest plugin: ``--keras-backend`` reaches the tests and, on PyTorch, one thread."""

import os
import subprocess
import sys

import pytest

PROBE = '''
import os

def test_environment():
    print("backend", os.environ.get("KERAS_BACKEND"), "omp", os.environ.get("OMP_NUM_THREADS"))
'''


def run_probe(tmp_path, backend, **env):
    """Run a one-test file under the plugin with ``--keras-backend backend``; its stdout."""
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "OMP_NUM_THREADS")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "course_utils.tools.pytest_plugin",
         "--keras-backend", backend, "-s", "-q", "-p", "no:cacheprovider", "test_probe.py"],
        cwd=tmp_path, env={**base, **env}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


@pytest.mark.parametrize("backend, threads", [("torch", "1"), ("jax", None)])
def test_keras_backend_option_sets_the_backend_and_torch_threads(tmp_path, backend, threads):
    assert f"backend {backend} omp {threads}" in run_probe(tmp_path, backend)


def test_a_thread_count_set_outside_is_kept(tmp_path):
    assert "backend torch omp 2" in run_probe(tmp_path, "torch", OMP_NUM_THREADS="2")
