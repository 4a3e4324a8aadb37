"""The production stack as shipped: `scripts/serve-stack` (deploy/nginx.conf in front of two gunicorn instances)
on loopback, under stalled clients, a killed instance and a rolling update onto new data.

Bounded: at most 150 held connections and a few seconds of load per test, every socket has a timeout, and the
stack (one process group) is stopped at the end, by SIGTERM as a person would, then killed if it lingers.
"""

from __future__ import annotations

import contextlib
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
from dashboard.answers import answer_address
from dashboard.limits import ERROR_HEADERS
from tests.conftest import DATA, ROOT
from tests.test_data_version import add_to_2016_budget

pytestmark = pytest.mark.load
STALLED_HEADERS = 100
STALLED_BODIES = 50
CLIENTS = 8
# Each fault: a 20 s load, the fault 3 s into it.
LOAD_SECONDS = 20
FAULT_AT = 3
# A page or download may wait this much longer than the slowest of the same load without a fault.
EXTRA_WAIT = 5
# A replaced instance is back in nginx's rotation this many seconds after the fault at most. Its start is
# loading the app (about 5 s on an idle machine, 6-9 s under this load on 2 shared cores); clients meanwhile
# are served whole by the other instance within EXTRA_WAIT.
FULL_SERVICE_WITHIN = 15
# The supervisor kills an instance silent this long (60 s by default) and starts it again.
RESTART_HUNG_AFTER = 15


class Stack:
    """`scripts/serve-stack PORT 2` on a copy of data/, its status lines read from its stdout."""

    def __init__(self, data_dir: Path, log: Path):
        self.port = free_port()
        self.log = log
        env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_dir), WEB_CONCURRENCY="1", PYTHON=sys.executable)
        env["DASHBOARD_RESTART_HUNG_AFTER"] = str(RESTART_HUNG_AFTER)
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
    checked: status 200 (or 304), and a callback answer from other data than the page's is a whole page.

    Every request is recorded with when it started and how long it took. A body cut short (the answer's
    headers were out when its instance died: nginx cannot send it elsewhere then) is counted apart, as
    the README documents; any other error, or a status other than 200/304, is a failure."""

    def __init__(self, stack: Stack, clients: int = CLIENTS):
        self.stack = stack
        self.deps = dependencies(stack.port)
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.results: Counter = Counter()
        self.failures: list[str] = []
        self.versions: Counter = Counter()
        # (kind, started, seconds taken) of every request
        self.timings: list[tuple[str, float, float]] = []
        self.local = threading.local()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(clients)]

    def __enter__(self):
        self.started = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for t in self.threads:
            t.join(timeout=60)

    def run(self, i: int) -> None:
        self.local.conn = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=40)
        n = i
        while not self.done.is_set():
            kind = ("page", "callback", "download")[n % 3]
            started = time.monotonic()
            version, problem = None, None
            try:
                version, problem = self.one(kind, n)
            except http.client.IncompleteRead:
                kind = "cut"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{kind}: {exc!r}"
            with self.lock:
                self.results[kind] += 1
                if version:
                    self.versions[version] += 1
                self.timings.append((kind, started, time.monotonic() - started))
                if problem:
                    self.failures.append(problem)
            n += 1
        self.local.conn.close()

    def one(self, kind: str, n: int) -> tuple[str | None, str | None]:
        """Send one request of `kind`; the data version of its answer and what is wrong with it (or None)."""
        year = 2014 + n % 12
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
            moved = headers.get("Location", "").startswith(answer_address(version, "")) and version != page
            return version, None if moved else f"callback: 307 to {headers.get('Location')} from {page}"
        if status not in (200, 304):
            return version, f"{kind}: {status} {data[:200]!r}"
        if kind == "callback" and status == 200 and json.loads(data)["version"] != page:
            return version, "callback: an answer of other data than asked for"
        return version, None

    def answered(self) -> int:
        with self.lock:
            return sum(self.results[kind] for kind in ("page", "callback", "download"))

    def slowest(self, since: float = 0.0, kinds=("page", "download")) -> float:
        """The longest wait of a request of `kinds` started at least `since` seconds into the load."""
        with self.lock:
            return max(
                (took for kind, started, took in self.timings if kind in kinds and started - self.started >= since),
                default=0.0,
            )

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


NGINX_OWN = {
    "bad request line": (b"GARBAGE\r\n\r\n", 400),
    "TRACE": (b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    "unknown transfer coding": (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    "HTTP/2.0 request line": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    "URI too long": (b"GET /" + b"x" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
}


@pytest.mark.parametrize("case", NGINX_OWN)
def test_stack002b_nginx_own_refusals_carry_the_security_headers(stack, case):
    data, expected = NGINX_OWN[case]
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as sock:
        sock.sendall(data)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    assert int(status_line.split()[1]) == expected, raw[:300]
    for name, value in ERROR_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    assert json.loads(body)["error"] == "bad request"


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


def _workers(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except OSError:
        return False


@pytest.fixture(scope="module")
def baseline(stack):
    """The slowest page or download of the same load without a fault (8 s)."""
    with Load(stack) as load:
        time.sleep(8)
    assert load.failures == [], load.failures[:5]
    return load.slowest()


def _under_fault(stack, fault, back: str | None = None) -> tuple[Load, int, float]:
    """Run the load for LOAD_SECONDS with `fault()` called FAULT_AT seconds in; the load, the number of status
    lines before the fault, and how long after the fault the supervisor reported the line `back` (a regular
    expression; inf when it did not within the load)."""
    with Load(stack) as load:
        time.sleep(FAULT_AT)
        before = len(stack.lines())
        at = time.monotonic()
        fault()
        took = float("inf")
        while time.monotonic() - at < LOAD_SECONDS - FAULT_AT:
            if back and took == float("inf") and any(re.search(back, line) for line in stack.lines()[before:]):
                took = time.monotonic() - at
            time.sleep(0.1)
    return load, before, took


def _assert_whole(load: Load, baseline: float, since: float = 0.0) -> None:
    """Every request answered with a 2xx/304 (cut bodies apart, counted), pages and downloads within
    EXTRA_WAIT s of the load without the fault, and requests of all three kinds answered."""
    print(f"{dict(load.results)}; slowest {load.slowest(since):.2f} s (without the fault {baseline:.2f} s)")
    assert load.failures == [], load.failures[:5]
    assert load.results["cut"] <= 3, load.results
    assert {"page", "callback", "download"} <= set(load.results) and load.answered() > 50, load.results
    assert load.slowest(since) <= baseline + EXTRA_WAIT, (load.slowest(since), baseline)


def test_stack004a_a_worker_killed_loses_nothing(stack, baseline):
    master, _ = stack.instances()[1]
    worker = _workers(master)[0]
    load, _, _ = _under_fault(stack, lambda: os.kill(worker, signal.SIGKILL))
    _assert_whole(load, baseline)
    # gunicorn's master started another worker in its place.
    assert not _alive(worker) and len(_workers(master)) == 1


def test_stack004b_a_master_killed_alone_takes_its_workers_and_frees_its_port(stack, baseline):
    master, port = stack.instances()[1]
    workers = _workers(master)
    load, before, back = _under_fault(
        stack, lambda: os.kill(master, signal.SIGKILL), rf"^instance 1: pid (?!{master}\b)\d+, port {port}\b"
    )
    print(f"instance back in rotation {back:.1f} s after its master was killed")
    _assert_whole(load, baseline)
    assert back <= FULL_SERVICE_WITHIN, back
    # Its orphaned workers are gone, and a new master serves on the same port (not an orphan answering).
    assert not any(_alive(pid) for pid in workers), workers
    back = stack.wait_for(rf"^instance 1: pid (?!{master}\b)(\d+), port {port}\b", 1, after=before)
    answer = json.loads(stack.request("GET", "/healthz")[1])
    assert answer["status"] == "ok" and int(back[1]) in {pid for pid, _ in stack.instances().values()}
    assert _alive(int(back[1]))


def test_stack004c_a_whole_instance_killed_loses_nothing(stack, baseline):
    master, port = stack.instances()[1]
    pids = [master, *_workers(master)]

    def kill_all():
        for pid in pids:
            os.kill(pid, signal.SIGKILL)

    load, _, back = _under_fault(stack, kill_all, rf"^instance 1: pid (?!{master}\b)\d+, port {port}\b")
    print(f"instance back in rotation {back:.1f} s after it was killed")
    _assert_whole(load, baseline)
    assert back <= FULL_SERVICE_WITHIN, back


def test_stack004d_a_hung_instance_leaves_the_rotation_and_returns(stack, baseline):
    """SIGSTOP an instance for 10 s: the supervisor's probe takes it out of nginx's rotation within a few
    seconds, so the requests sent after that never wait on it; the ones already on their way to it wait for
    it (within nginx's 35 s), then all of it comes back when it answers."""
    master, port = stack.instances()[1]
    pids = [master, *_workers(master)]

    def stop_for_ten_seconds():
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        threading.Timer(10, lambda: [os.kill(pid, signal.SIGCONT) for pid in pids]).start()

    load, before, back = _under_fault(stack, stop_for_ten_seconds, rf"^instance 1: pid {master}, port {port}\b")
    out = stack.wait_for(r"^instance 1: out of rotation", 1, after=before)
    assert out
    print(f"instance back in rotation {back:.1f} s after it was stopped (for 10 s)")
    assert 10 <= back <= 10 + FULL_SERVICE_WITHIN, back
    print(f"{dict(load.results)}; slowest {load.slowest(FAULT_AT + 5):.2f} s after 5 s, {load.slowest():.2f} s in all")
    assert load.failures == [], load.failures[:5]
    # Requests sent from 5 s after the hang (3 s of silence, a reload) on wait no longer than without it.
    assert load.slowest(since=FAULT_AT + 5) <= baseline + EXTRA_WAIT, (load.slowest(FAULT_AT + 5), baseline)
    assert load.slowest(kinds=("page", "download", "callback")) < 35


def test_stack004e_an_instance_hung_for_good_is_killed_and_started_again(stack, baseline):
    """SIGSTOP an instance and leave it stopped: out of rotation within seconds, killed after
    RESTART_HUNG_AFTER s of silence (the requests still waiting on it then go to the other instance), and
    started again; nothing of it is left."""
    master, port = stack.instances()[2]
    pids = [master, *_workers(master)]

    def stop_for_good():
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)

    with Load(stack) as load:
        time.sleep(FAULT_AT)
        before = len(stack.lines())
        stop_for_good()
        stack.wait_for(r"^instance 2: silent too long", RESTART_HUNG_AFTER + 10, after=before)
        back = stack.wait_for(rf"^instance 2: pid (?!{master}\b)(\d+), port {port}\b", 30, after=before)
        time.sleep(2)
    print(f"{dict(load.results)}; slowest {load.slowest(FAULT_AT + 5):.2f} s after 5 s, {load.slowest():.2f} s in all")
    assert load.failures == [], load.failures[:5]
    assert load.slowest(since=FAULT_AT + 5) <= baseline + EXTRA_WAIT, (load.slowest(FAULT_AT + 5), baseline)
    assert load.slowest(kinds=("page", "download", "callback")) < RESTART_HUNG_AFTER + 10
    assert not any(_alive(pid) for pid in pids) and _alive(int(back[1]))


def test_stack005_rolling_update_loses_nothing_and_mixes_nothing(stack, baseline):
    old = stack.request("GET", "/healthz")[0].getheader("X-Data-Version")
    add_to_2016_budget(stack.data_dir, 10)
    with Load(stack) as load:
        time.sleep(FAULT_AT)
        before = len(stack.lines())
        stack.proc.send_signal(signal.SIGHUP)
        rolled = stack.wait_for(r"^rolled onto data (\w+)$", 180, after=before)
        time.sleep(2)
    new = rolled[1]
    assert new != old
    _assert_whole(load, baseline)
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


class _Backend:
    """A stand-in instance on a loopback port: answers /healthz, or holds every request while `hung` is set."""

    def __init__(self):
        import http.server

        self.hung = threading.Event()
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                while backend.hung.is_set():
                    time.sleep(0.05)
                body = b'{"status": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_stack008_systemd_path_watcher_takes_a_hung_instance_out_and_back(tmp_path):
    """scripts/watch_upstream.py (deploy/dashboard-watch.service) beside a real nginx: an instance that stops
    answering is marked `down` in the site file and nginx reloaded within seconds; it is unmarked once it
    answers again."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from stack import Nginx

    backends = [_Backend(), _Backend()]
    nginx = Nginx(tmp_path, free_port(), [b.port for b in backends])
    site = tmp_path / "dashboard.conf"
    reload = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    watcher = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "watch_upstream.py"), str(site), *reload, "-s", "reload"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1)
        backends[1].hung.set()
        hung_at = time.monotonic()
        while f"{backends[1].port} max_fails=1 fail_timeout=5s down;" not in site.read_text():
            assert time.monotonic() - hung_at < 6, site.read_text()
            time.sleep(0.1)
        time.sleep(0.5)
        # nginx now sends every request to the one that answers.
        for _ in range(6):
            conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=2)
            conn.request("GET", "/healthz")
            assert conn.getresponse().status == 200
            conn.close()
        backends[1].hung.clear()
        back_at = time.monotonic()
        while " down;" in site.read_text():
            assert time.monotonic() - back_at < 4, site.read_text()
            time.sleep(0.1)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
        nginx.stop()
        for backend in backends:
            backend.hung.clear()
            backend.server.shutdown()


def test_stack009_instances_stop_when_the_supervisor_is_killed(tmp_path):
    """SIGKILL of serve-stack's supervisor alone (no chance to stop anything): every gunicorn master stops
    (PR_SET_PDEATHSIG), its workers with it; nginx, in the supervisor's process group, goes with that group."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    running = Stack(data_dir, tmp_path / "stack.log")
    masters = [pid for pid, _ in running.instances().values()]
    pids = masters + [w for m in masters for w in _workers(m)]
    try:
        # serve-stack execs the supervisor: its pid is the process's.
        os.kill(running.proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 40
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in pids), [pid for pid in pids if _alive(pid)]
    finally:
        # Nothing left behind even when the test fails: nginx (the supervisor's group), each instance's group.
        for group in [running.proc.pid, *masters]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        running.proc.wait()
