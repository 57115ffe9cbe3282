"""The Pythons and platforms the README promises are the ones the pinned set installs on.

For the lowest patch release of every claimed Python version (3.10.0, 3.11.0, ...) on
Linux x86_64, macOS arm64 and Windows x86_64, uv resolves the quickstart's install
(`-c constraints.txt -e ".[lab,test]"`, plus the `backends` extra) from wheels alone, the
way pip would there, and every package it picks must be the pinned one. It reads the
index data uv has cached, else the index; with neither, the resolution tests are
skipped, saying so. Twelve resolutions take seconds each from uv's cache and minutes
from the index: marked slow and network, they run once in CI (`pytest -m slow tests`).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LOCAL_EXTRAS, pins, pyproject
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = {  # uv's --python-platform; macOS 14 is the oldest PyTorch has arm64 wheels for
    "linux": ("x86_64-manylinux_2_28", {}),
    "macos-arm64": ("aarch64-apple-darwin", {"MACOSX_DEPLOYMENT_TARGET": "14.0"}),
    "windows": ("x86_64-pc-windows-msvc", {}),
}
OFFLINE_HINTS = ("failed to fetch", "dns error", "connect", "network", "timed out", "offline")


def claimed_versions():
    prefix = "Programming Language :: Python :: 3."
    return [c.rsplit(" :: ", 1)[1] for c in pyproject()["project"]["classifiers"]
            if c.startswith(prefix) and c.count(".") == 1]


def test_claims_agree_everywhere():
    claimed = claimed_versions()
    assert claimed == ["3.10", "3.11", "3.12", "3.13"]
    spec = SpecifierSet(pyproject()["project"]["requires-python"])
    assert all(spec.contains(f"{v}.0") for v in claimed)
    # No upper bound (a cap would stop the notebooks on Colab the day it moves ahead);
    # the build backend stops an install on an unclaimed Python without TensorFlow.
    assert not any(s.operator in ("<", "<=", "~=", "==") for s in spec), spec
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python " + ", ".join(claimed[:-1]) + f" or {claimed[-1]}" in readme


def uv_executable():
    here = Path(sys.executable).parent / ("uv.exe" if os.name == "nt" else "uv")
    return str(here) if here.exists() else shutil.which("uv")


@pytest.mark.slow
@pytest.mark.network
@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("version", claimed_versions())
def test_pinned_set_resolves_on_the_lowest_patch_release(version, platform, tmp_path):
    uv = uv_executable()
    assert uv, "uv is part of the test extra; reinstall with the README's command"
    # the quickstart's extras and the optional JAX/PyTorch backends
    extras = [arg for e in (LOCAL_EXTRAS + ",backends").split(",") for arg in ("--extra", e)]
    out = tmp_path / "resolved.txt"
    command = [uv, "pip", "compile", "pyproject.toml", *extras, "-c", "constraints.txt",
               "--python-version", f"{version}.0", "--python-platform", PLATFORMS[platform][0],
               "--only-binary", ":all:", "--no-annotate", "--no-header", "-q", "-o", str(out)]
    env = {**os.environ, "UV_HTTP_TIMEOUT": "30", **PLATFORMS[platform][1]}

    def resolve(*extra):
        return subprocess.run(command + list(extra), cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=env)

    # From uv's cache when an earlier run filled it (seconds), else from the index.
    proc = resolve("--offline")
    if proc.returncode:
        proc = resolve()
    if proc.returncode and any(h in proc.stderr.lower() for h in OFFLINE_HINTS):
        pytest.skip(f"package index unreachable, cannot resolve for Python {version}: "
                    f"{proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    pinned = pins()
    resolved = dict(line.split("==", 1) for line in out.read_text().split()
                    if "==" in line)
    off = {n: v for n, v in resolved.items()
           if pinned.get(canonicalize_name(n)) != re.sub(r"\s.*", "", v)}
    assert not off, f"Python {version} on {platform} would install other versions: {off}"
