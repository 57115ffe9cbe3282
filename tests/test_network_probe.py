"""load_mnist(full=True)'s network probe gives up in time, on its DNS path too.

The probe opens a TCP connection to the download host in a daemon thread, because a DNS
look-up ignores socket timeouts: a probe of a name whose look-up hangs must still answer
within its timeout. (A probe of an IP address never reaches the look-up, so it cannot
tell.) These tests replace one that probed an IP address only.
"""

import socket
import threading
import time

from course_utils import datasets


def test_a_hanging_dns_look_up_cannot_outlast_the_timeout(monkeypatch):
    monkeypatch.setattr("urllib.request.getproxies", dict)
    release, asked = threading.Event(), []

    def hanging_getaddrinfo(host, *args, **kwargs):
        asked.append(host)
        release.wait(30)  # a resolver that does not answer
        raise socket.gaierror("resolver gave up")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_getaddrinfo)
    try:
        start = time.perf_counter()
        reason = datasets._probe(("mnist.example.invalid", 443), timeout=0.5)
        elapsed = time.perf_counter() - start
    finally:
        release.set()
    assert asked == ["mnist.example.invalid"], "the probe never looked the name up"
    assert elapsed < 2.0, f"the probe waited {elapsed:.1f} s on a hanging DNS look-up"
    assert reason == "no answer from mnist.example.invalid:443 within 0.5 s"


def test_a_name_that_does_not_resolve_gives_a_reason(monkeypatch):
    monkeypatch.setattr("urllib.request.getproxies", dict)
    # .invalid never resolves (RFC 2606): a real look-up, failing fast or timing out
    start = time.perf_counter()
    reason = datasets._probe(("mnist.example.invalid", 443), timeout=2.0)
    assert time.perf_counter() - start < 4.0
    assert isinstance(reason, str) and reason
