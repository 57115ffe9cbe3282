"""The README's first command, as a newcomer meets it: a real JupyterLab server.

Starts JupyterLab exactly as the README's quickstart does (its command, parsed out of
README.md, run from the repository root; only ``--no-browser``, a free port, a token and
``--allow-root`` are added), then checks what a browser would meet:

- the server's root is the repository root and it opens notebook 00;
- every relative image and link of every notebook, of the README and of ``docs/*.md``
  answers 200 through the server (images from ``/files/``, documents through the
  contents API JupyterLab opens them with: ``/lab/tree/<any path>`` answers 200 even for a
  file that does not exist), so no figure is broken and no link dead;
- a kernel started through the server reports the ``language_info`` the notebooks store
  (JupyterLab writes the kernel's ``language_info`` into an opened notebook, marking it
  modified, whenever the two differ).
"""

import json
import os
import posixpath
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("jupyterlab")
websocket = pytest.importorskip("websocket")  # websocket-client, a JupyterLab dependency

pytestmark = pytest.mark.slow  # starts a JupyterLab server (a few seconds)

TOKEN = "t"
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
                  r"|<(?:img|a)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']")


def readme_lab_command():
    """The JupyterLab part of the README's first command, as a list of arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)[0].strip()
    argv = shlex.split(first.split("&&")[-1])
    assert Path(argv[0]).name == "jupyter" and argv[1] == "lab", argv
    return argv[2:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server started as the README says: (base URL, runtime dir)."""
    runtime = tmp_path_factory.mktemp("runtime")
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime),
               JUPYTER_CONFIG_DIR=str(tmp_path_factory.mktemp("config")))
    argv = [sys.executable, "-m", "jupyter", "lab", *readme_lab_command(), "--no-browser",
            f"--port={port}", f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited: {server.stderr.read()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 2 minutes")
        yield base, runtime
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server.stderr.close()


def status(base, path, query=""):
    url = f"{base}/{urllib.parse.quote(path)}?token={TOKEN}{query}"
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_server_root_is_the_repository_and_it_opens_notebook_00(lab):
    base, runtime = lab
    (info,) = [json.loads(p.read_text()) for p in runtime.glob("jpserver-*.json")]
    assert Path(info["root_dir"]).resolve() == ROOT
    (opener,) = runtime.glob("jpserver-file-to-run-*-open.html")
    assert "/lab/tree/notebooks/00_start_here.ipynb" in opener.read_text(encoding="utf-8")
    assert status(base, "lab/tree/notebooks/00_start_here.ipynb") == 200


def documents():
    """(path relative to the root, markdown text) of every notebook, the README, docs."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        yield (path.relative_to(ROOT).as_posix(),
               "\n".join(c.source for c in cells if c.cell_type == "markdown"))
    for path in [ROOT / "README.md", ROOT / "CONTRIBUTING.md",
                 *sorted((ROOT / "docs").glob("*.md"))]:
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def relative_links(text):
    """Relative targets of the markdown/HTML links and images in ``text``: (target, image?)."""
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("#"):
            continue  # http(s), mailto, data; an anchor in the same document
        image = match.group(0).startswith(("!", "<img"))
        yield urllib.parse.unquote(target.split("#")[0].split("?")[0]), image


DOCUMENTS = list(documents())


@pytest.mark.parametrize("doc, text", DOCUMENTS, ids=[d for d, _ in DOCUMENTS])
def test_every_relative_image_and_link_answers_through_the_server(lab, doc, text):
    base, _ = lab
    broken = []
    for target, image in relative_links(text):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(doc), target))
        if path.startswith("../") or path == "..":
            broken.append(f"{target} (outside the server's root)")
        elif image and status(base, f"files/{path}") != 200:
            broken.append(f"{target} (image: /files/{path})")
        elif not image and status(base, f"api/contents/{path}", "&content=0") != 200:
            broken.append(f"{target} (link: /api/contents/{path})")
    assert not broken, f"{doc}: {broken}"


def test_the_link_finder_finds_what_the_notebooks_use():
    text = ('![a](../img/x.png) [b](../docs/g.md#terms) <img src="../img/y.png" width=3> '
            "[c](https://e.org) [d](#here) [e](01_a.ipynb)")
    assert list(relative_links(text)) == [("../img/x.png", True), ("../docs/g.md", False),
                                          ("../img/y.png", True), ("01_a.ipynb", False)]
    assert sum(1 for _ in relative_links(dict(DOCUMENTS)["notebooks/00_start_here.ipynb"])) > 10


def kernel_language_info(base):
    """``language_info`` of a kernel started through the server, as JupyterLab receives it."""
    request = urllib.request.Request(f"{base}/api/kernels?token={TOKEN}", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    kernel = json.load(urllib.request.urlopen(request, timeout=60))["id"]
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws')}/api/kernels/{kernel}/channels?token={TOKEN}", timeout=60)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "test",
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
        while True:
            msg = json.loads(ws.recv())
            if (msg.get("parent_header", {}).get("msg_id") == msg_id
                    and msg["msg_type"] == "kernel_info_reply"):
                return msg["content"]["language_info"]
    finally:
        ws.close()


def test_stored_language_info_is_what_the_kernel_reports(lab):
    # JupyterLab's NotebookPanel sets the kernel's language_info on the opened notebook;
    # @jupyter/ydoc's setMetadata skips it only when the two are deep-equal, and otherwise
    # marks the notebook modified. Everything but the Python version can be kept equal;
    # the version is the one of the Python that stored the outputs (see the README).
    base, _ = lab
    reported = kernel_language_info(base)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        stored = dict(nbformat.read(path, as_version=4).metadata.language_info)
        assert stored.keys() == reported.keys(), path.name
        assert {**stored, "version": reported["version"]} == reported, path.name
