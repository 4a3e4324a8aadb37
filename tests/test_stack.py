"""The production stack as shipped: `scripts/serve-stack` (deploy/nginx.conf in front of two gunicorn instances)
on loopback, under stalled clients, a killed instance and a rolling update onto new data.

Bounded: at most 150 held connections and a few seconds of load per test, every socket has a timeout, and the
stack (one process group) is stopped at the end, by SIGTERM as a person would, then killed if it lingers.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.harness import dashboard_year_paths, dependencies, free_port
from tests.conftest import DATA, ROOT
from tests.test_data_version import add_to_2016_budget

pytestmark = pytest.mark.load
STALLED_HEADERS = 100
STALLED_BODIES = 50


class Stack:
    """`scripts/serve-stack PORT 2` on a copy of data/, its status lines read from its stdout."""

    def __init__(self, data_dir: Path, log: Path):
        self.port = free_port()
        self.log = log
        env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_dir), WEB_CONCURRENCY="1", PYTHON=sys.executable)
        env.pop("GUNICORN_ACCESSLOG", None)
        self.out = log.with_suffix(".out")
        with self.out.open("wb") as out, log.open("wb") as err:
            self.proc = subprocess.Popen(
                ["bash", "scripts/serve-stack", str(self.port), "2"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        self.wait_for(r"^serving ", 180)

    def lines(self) -> list[str]:
        return self.out.read_text().splitlines()

    def wait_for(self, pattern: str, timeout: float, after: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines()[after:]:
                if match := re.search(pattern, line):
                    return match
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError(f"no line {pattern!r} within {timeout} s: {self.lines()}")

    def instances(self) -> dict[int, tuple[int, int]]:
        """Instance number -> (gunicorn master pid, port), as last reported."""
        out = {}
        for line in self.lines():
            if m := re.match(r"instance (\d+): pid (\d+), port (\d+)", line):
                out[int(m[1])] = (int(m[2]), int(m[3]))
        return out

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, timeout: float = 10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return None


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.fail("Debian's nginx is not installed: run `bash scripts/test`, which installs it")
    data_dir = tmp_path_factory.mktemp("stack") / "data"
    shutil.copytree(DATA, data_dir)
    running = Stack(data_dir, data_dir.parent / "stack.log")
    running.data_dir = data_dir
    yield running
    if running.stop() is None:
        raise AssertionError("serve-stack did not stop within 60 s of SIGTERM")


class Load:
    """Client threads sending page, callback and download requests through the stack in a loop, each answer
    checked: status 200, and a callback answer from other data than the page's is a whole page."""

    def __init__(self, stack: Stack, clients: int = 6):
        self.stack = stack
        self.deps = dependencies(stack.port)
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.results: Counter = Counter()
        self.failures: list[str] = []
        self.versions: Counter = Counter()
        self.local = threading.local()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(clients)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for t in self.threads:
            t.join(timeout=60)

    def run(self, i: int) -> None:
        self.local.conn = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=30)
        n = i
        while not self.done.is_set():
            kind = ("page", "callback", "download")[n % 3]
            year = 2014 + n % 12
            version = None
            try:
                if kind == "page":
                    status, headers, data = self.exchange("GET", f"/?year={year}")
                elif kind == "download":
                    status, headers, data = self.exchange("GET", f"/download/budget.csv?year={year}")
                else:
                    # A choice's answer (a GET named by the page's data version, dashboard/answers.py).
                    page = self.page_version()
                    status, headers, data = self.exchange("GET", dashboard_year_paths(version=page)[n % 12])
                version = headers.get("X-Data-Version")
                if kind == "callback" and status == 307:
                    # From other data than the page's: never a part of it, a redirect to the server's version.
                    moved = headers.get("Location", "").startswith(f"/answers/{version}?") and version != page
                    problem = None if moved else f"callback: 307 to {headers.get('Location')} from {page}"
                else:
                    problem = None if status == 200 else f"{kind}: {status} {data[:200]!r}"
                if problem is None and kind == "callback" and status == 200 and json.loads(data)["version"] != page:
                    problem = "callback: an answer of other data than asked for"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{kind}: {exc!r}"
            with self.lock:
                self.results[kind] += 1
                self.versions[version] += 1
                if problem:
                    self.failures.append(problem)
            n += 1
        self.local.conn.close()

    def answered(self) -> int:
        with self.lock:
            return sum(self.results[kind] for kind in ("page", "callback", "download"))

    def exchange(self, method: str, path: str, body: bytes | None = None, headers=None):
        """One request on this thread's keep-alive connection. Like a browser, a request that finds its reused
        connection closed by the server before any answer (nginx closes idle ones when it reloads) is sent
        again once on a new connection; any other failure counts."""
        conn = self.local.conn
        for attempt in (1, 2):
            reused = conn.sock is not None
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                conn.close()
                if not reused or attempt == 2:
                    raise
                with self.lock:
                    self.results["sent again"] += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                raise
        raise AssertionError("unreachable")

    def page_version(self) -> str:
        """The version a page just loaded shows (its meta tag), as its callback requests carry it."""
        status, _, html = self.exchange("GET", "/?year=2019")
        assert status == 200, status
        return re.search(rb'<meta name="data-version" content="(\w+)">', html)[1].decode()


def test_stack001_server_header_names_no_version(stack):
    response, _ = stack.request("GET", "/")
    assert response.status == 200 and response.getheader("Server") == "nginx"
    # The app's own headers pass through unchanged.
    assert response.getheader("X-Frame-Options") == "DENY" and "frame-ancestors" in response.getheader(
        "Content-Security-Policy"
    )
    assert re.fullmatch(r"\w{12}", response.getheader("X-Data-Version"))
    assert response.getheader("ETag").startswith(f'W/"{response.getheader("X-Data-Version")}-')
    # nginx's own refusals too: no version, JSON like the app's, the same security headers.
    refused, body = stack.request("GET", "/" + "x" * 5000)
    assert refused.status == 414 and refused.getheader("Server") == "nginx"
    assert json.loads(body)["error"] == "bad request" and refused.getheader("X-Content-Type-Options") == "nosniff"


def test_stack002_the_apps_limits_hold_at_the_proxy(stack):
    # A request line of 4,094 bytes passes, one byte more gets 414 ("GET /" + URI + " HTTP/1.1").
    assert stack.request("GET", "/healthz?" + "x" * (4094 - len("GET /healthz? HTTP/1.1")))[0].status == 200
    assert stack.request("GET", "/healthz?" + "x" * (4095 - len("GET /healthz? HTTP/1.1")))[0].status == 414
    big = b"[" + b"0," * 40_000 + b"0]"
    answer, body = stack.request("POST", "/_dash-update-component", big, {"Content-Type": "application/json"})
    assert answer.status == 413 and b"65536" in body
    assert stack.request("GET", "/healthz", headers={"X-Big": "b" * 9000})[0].status == 400


def test_stack003_healthz_answers_while_150_clients_stall(stack):
    held = []
    partial_headers = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    partial_body = (
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"ou'
    )
    try:
        for i in range(STALLED_HEADERS + STALLED_BODIES):
            sock = socket.create_connection(("127.0.0.1", stack.port), timeout=10)
            sock.sendall(partial_body if i < STALLED_BODIES else partial_headers)
            held.append(sock)
        # Probe for 3 s (within the 10 s client timeouts, so every stalled client is still held).
        deadline = time.monotonic() + 3
        probes = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            response, body = stack.request("GET", "/healthz", timeout=1)
            assert response.status == 200 and json.loads(body)["status"] == "ok"
            assert time.monotonic() - started < 1
            probes += 1
        assert probes >= 3
    finally:
        for sock in held:
            sock.close()


def _kill_instance(master: int) -> None:
    """SIGKILL a gunicorn instance: its master and its workers, with no chance to finish anything."""
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [master, *map(int, workers)]:
        os.kill(pid, signal.SIGKILL)


def test_stack004_no_request_lost_when_an_instance_is_killed(stack):
    before = len(stack.lines())
    victim, _ = stack.instances()[1]
    with Load(stack) as load:
        time.sleep(2)
        _kill_instance(victim)
        at_kill = load.answered()
        time.sleep(4)
    assert load.failures == [], load.failures[:5]
    assert {"page", "callback", "download"} <= set(load.results) and load.answered() - at_kill >= 6, load.results
    # serve-stack starts the dead instance again, on its port.
    stack.wait_for(rf"^instance 1: pid (?!{victim}\b)\d+", 120, after=before)


def test_stack005_rolling_update_loses_nothing_and_mixes_nothing(stack):
    old = stack.request("GET", "/healthz")[0].getheader("X-Data-Version")
    add_to_2016_budget(stack.data_dir, 10)
    before = len(stack.lines())
    with Load(stack) as load:
        time.sleep(1)
        stack.proc.send_signal(signal.SIGHUP)
        rolled = stack.wait_for(r"^rolled onto data (\w+)$", 180, after=before)
        time.sleep(1)
    new = rolled[1]
    assert new != old
    assert load.failures == [], load.failures[:5]
    assert set(load.versions) == {old, new}, load.versions
    # Every instance now serves the new data, and the 2016 budget says so.
    for _ in range(4):
        response, body = stack.request("GET", "/download/budget.csv")
        assert response.getheader("X-Data-Version") == new and b"59171913.2" in body


def test_stack006_sigterm_stops_every_process(stack):
    pids = [pid for pid, _ in stack.instances().values()]
    nginx = int(stack.wait_for(r"nginx pid (\d+)", 1)[1])
    assert stack.stop() == 0
    for pid in [*pids, nginx]:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", stack.port), timeout=1)
