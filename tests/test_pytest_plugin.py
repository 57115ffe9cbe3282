"""The course's pytest plugin: ``--keras-backend`` reaches the tests and, on PyTorch, one thread."""

import os
import subprocess
import sys

import pytest

PROBE = '''
import os

import pytest

def test_environment():
    print("backend", os.environ.get("KERAS_BACKEND"), "omp", os.environ.get("OMP_NUM_THREADS"))

@pytest.mark.slow
def test_slow():
    pass

@pytest.mark.network
def test_network():
    pass
'''


def run_probe(tmp_path, backend, *options, **env):
    """Run a one-test file under the plugin with ``--keras-backend backend``; its stdout."""
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "OMP_NUM_THREADS")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "course_utils.tools.pytest_plugin",
         "--keras-backend", backend, "-s", "-q", "-p", "no:cacheprovider", "-rs", *options,
         "test_probe.py"],
        cwd=tmp_path, env={**base, **env}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


@pytest.mark.parametrize("backend, threads", [("torch", "1"), ("jax", None)])
def test_keras_backend_option_sets_the_backend_and_torch_threads(tmp_path, backend, threads):
    assert f"backend {backend} omp {threads}" in run_probe(tmp_path, backend)


def test_a_thread_count_set_outside_is_kept(tmp_path):
    assert "backend torch omp 2" in run_probe(tmp_path, "torch", OMP_NUM_THREADS="2")


def test_slow_and_network_tests_run_once_on_the_default_backend_only(tmp_path):
    assert "3 passed" in run_probe(tmp_path, "tensorflow")
    out = run_probe(tmp_path, "jax")
    assert "1 passed, 2 skipped" in out and "run once, on tensorflow, not again on jax" in out


def test_the_configured_suite_leaves_slow_tests_to_ci_and_limits_time():
    import shlex

    from conftest import pyproject

    options = pyproject()["tool"]["pytest"]["ini_options"]
    addopts = shlex.split(options["addopts"])
    assert addopts[addopts.index("-m") + 1] == "not slow"
    assert any(o.startswith("--nbval-cell-timeout=") for o in addopts)
    assert 0 < int(options["timeout"]) <= 600  # pytest-timeout: a hung test fails
    assert {m.split(":")[0] for m in options["markers"]} == {"slow", "network"}
