"""A freshly started gunicorn answers every script its page names, even to requests that arrive all at once
before any other request (the phones waiting on a page while the server restarts).

Dash registers the script paths it will serve during its first-request setup; a worker that took connections
before that setup finished answered 404 for React, Dash's renderer or a component bundle, and the page stayed on
"Loading…". Bounded: RESTARTS servers, BURST requests each with a 30 s timeout, all on loopback.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.harness import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.server

RESTARTS = 6
BURST = 48


@pytest.fixture(scope="module")
def script_paths():
    """The component scripts the page names, from the app in this process (not the server under test)."""
    from dashboard.app import app

    html = app.server.test_client().get("/").get_data(as_text=True)
    paths = re.findall(r'<script[^>]*src="(/_dash-component-suites/[^"]+)"', html)
    assert len(paths) >= 5, html[-3000:]
    return paths


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _start(args: list[str], port: int, env: dict, within: float, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """Start `args` (python -m ...) in the project's directory, and return it once its port accepts a TCP
    connection (no request sent); fail, and stop it, if it exits first or takes longer than `within` s."""
    proc = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + within
    while not _port_open(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            said = proc.stderr.read()[-2000:].decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"{' '.join(args)} exited or did not open port {port} within {within} s. {said}")
        time.sleep(0.02)
    return proc


def _stop(proc: subprocess.Popen) -> int:
    """SIGTERM, then SIGKILL after 30 s; the exit code."""
    proc.terminate()
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError as exc:
        return f"error: {exc}"
    finally:
        conn.close()


def cold_burst(paths: list[str]) -> Counter:
    """Start gunicorn with the project's settings, wait only for its port (a TCP connect, no request), send
    BURST script requests at once, and return their statuses."""
    port = free_port()
    env = dict(os.environ, PORT=str(port), WEB_CONCURRENCY="2")
    env.pop("GUNICORN_ACCESSLOG", None)
    gunicorn = ["gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "dashboard.app:server"]
    proc = _start(gunicorn, port, env, within=120)
    try:
        statuses: list = [None] * BURST
        start = threading.Barrier(BURST)

        def fetch(i: int) -> None:
            start.wait(timeout=30)
            statuses[i] = _get(port, paths[i % len(paths)])

        threads = [threading.Thread(target=fetch, args=(i,)) for i in range(BURST)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return Counter(statuses)
    finally:
        _stop(proc)


@pytest.mark.load
def test_cold001_every_script_answered_at_once_after_each_restart(script_paths):
    totals = Counter()
    for _ in range(RESTARTS):
        totals += cold_burst(script_paths)
    assert totals == Counter({200: RESTARTS * BURST}), totals


def test_cold002_run_serves_with_gunicorn_and_stops_on_sigterm():
    """`python -m dashboard run` is gunicorn with the project's settings (a master and its two workers),
    answers on the port it is given and stops cleanly on SIGTERM, freeing the port at once."""
    port = free_port()
    env = dict(os.environ)
    env.pop("DASHBOARD_DEBUG", None)
    proc = _start(["dashboard", "run", "--port", str(port)], port, env, within=60, stderr=subprocess.PIPE)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Server") == "gunicorn"
        conn.close()
        # The master forks its two workers one after the other: wait for the second.
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 60
        while len(children.read_text().split()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(children.read_text().split()) == 2, children.read_text()
    finally:
        code = _stop(proc)
    assert code == 0
    assert b"Traceback" not in proc.stderr.read()
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
