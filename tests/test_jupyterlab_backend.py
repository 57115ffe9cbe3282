"""A KERAS_BACKEND set before starting JupyterLab reaches the notebooks' setup line.

Starts a real JupyterLab server (the ``lab`` extra) with ``KERAS_BACKEND=jax`` in its
environment, opens a kernel through its REST and websocket API, as the browser does,
and runs the first lines of a notebook's setup cell there: the backend must stay ``jax``
(the setup line only sets a default). Keras is not imported, so JAX need not be installed.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # starts a JupyterLab server: once in CI (pytest -m slow)
websocket = pytest.importorskip("websocket")  # websocket-client, a JupyterLab dependency
pytest.importorskip("jupyterlab")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_in_kernel(port, code):
    """Start a kernel on the server at ``port``, run ``code``, return what it printed."""
    base = f"127.0.0.1:{port}"
    request = urllib.request.Request(f"http://{base}/api/kernels?token=t", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    kernel = json.load(urllib.request.urlopen(request, timeout=60))["id"]
    ws = websocket.create_connection(f"ws://{base}/api/kernels/{kernel}/channels?token=t",
                                     timeout=60)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False}}))
    printed = []
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("stream", "error"):
            printed.append(msg["content"].get("text") or msg["content"]["evalue"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(printed)


def test_keras_backend_set_before_jupyterlab_wins_over_the_setup_default(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code" and "KERAS_BACKEND" in c.source)
    first_lines = setup.source.split("\nif ")[0]  # imports and the backend line
    assert 'os.environ.setdefault("KERAS_BACKEND", "tensorflow")' in first_lines
    port = free_port()
    env = dict(os.environ, KERAS_BACKEND="jax", JUPYTER_RUNTIME_DIR=str(tmp_path))
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
         "--IdentityProvider.token=t", "--allow-root", f"--ServerApp.root_dir={tmp_path}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=t", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        printed = run_in_kernel(port, first_lines + '\nprint(os.environ["KERAS_BACKEND"])')
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    assert printed.strip() == "jax"
