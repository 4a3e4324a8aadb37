"""Slow, oversized and malformed clients against a real gunicorn on loopback: they stop no one, are cut off,
and get a 4xx with the security headers.

Bounded: at most 30 held connections (held 20 s in the `load` test), every socket has a timeout, and every server is stopped at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.harness import free_port
from dashboard import limits
from dashboard.limits import ERROR_HEADERS
from tests.conftest import ROOT

pytestmark = pytest.mark.server

HELD = 30


class Server:
    """`gunicorn -c gunicorn.conf.py dashboard.app:server` on a free loopback port, its log in a file."""

    def __init__(self, log: Path, **env: str):
        self.port = free_port()
        self.log = log
        environ = dict(os.environ, PORT=str(self.port), **env)
        environ.pop("GUNICORN_ACCESSLOG", None)
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
                + ["dashboard.app:server"],
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, log.read_text()
            try:
                if self.get("/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer within 120 s")

    def get(self, path: str, timeout: float) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def connect(self, data: bytes, timeout: float = 30) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        sock.sendall(data)
        return sock

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.log.read_text(errors="replace")


PARTIAL_HEADERS = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
PARTIAL_BODY = (
    b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n"
    b'{"ou'
    b"t"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The production settings (2 workers, default threads and read timeout)."""
    srv = Server(tmp_path_factory.mktemp("gunicorn") / "log.txt", WEB_CONCURRENCY="2")
    yield srv
    log = srv.stop()
    assert "Traceback" not in log, log[-3000:]


def test_slow001_healthz_answers_while_30_clients_stall(server):
    held = []
    try:
        for i in range(HELD):
            held.append(server.connect(PARTIAL_HEADERS if i % 2 else PARTIAL_BODY))
        # Probe for 3 s (well within the 10 s read timeout, so the stalled clients hold their threads
        # throughout); each probe is a new connection that must be answered within 1 s.
        deadline = time.monotonic() + 3
        probes = 0
        while time.monotonic() < deadline:
            status, body = server.get("/healthz", timeout=1)
            assert status == 200 and b'"ok"' in body
            probes += 1
        assert probes >= 3
    finally:
        for sock in held:
            sock.close()


def _chunked(total: int, chunk: int = 16 * 1024):
    for _ in range(total // chunk):
        yield b"%x\r\n" % chunk + b"1" * chunk + b"\r\n"
    yield b"0\r\n\r\n"


def test_slow002_chunked_body_over_the_limit_is_refused(server):
    """A 1 MB chunked body (no Content-Length) is cut off at the 64 KB limit with a 413."""
    sock = server.connect(
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )

    def send():
        try:
            for piece in _chunked(1024 * 1024):
                sock.sendall(piece)
        except OSError:
            pass  # the server stops reading once the limit is passed

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        assert response.read() == b'{"error":"bad request","reason":"request larger than 65536 bytes"}\n'
    finally:
        sock.close()
        sender.join(timeout=30)
    assert server.get("/healthz", timeout=5)[0] == 200


def test_slow003_server_stops_reading_an_endless_chunked_body(server):
    """The server reads no more than the limit (and a bounded drain) of a 32 MB chunked body, then closes:
    the sender is cut off long before the end, within what loopback socket buffers hold."""
    total = 32 * 1024 * 1024
    sock = server.connect(
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    sent = 0
    try:
        for piece in _chunked(total):
            sock.sendall(piece)
            sent += len(piece)
    except OSError:
        pass
    finally:
        sock.close()
    assert sent < total / 2
    assert server.get("/healthz", timeout=5)[0] == 200


def test_slow004_request_line_too_long_is_refused(server):
    status, _ = server.get("/healthz?" + "x" * 5000, timeout=5)
    assert status == 414


@pytest.fixture(scope="module")
def quick_timeout_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("gunicorn") / "log.txt", WEB_CONCURRENCY="1", GUNICORN_READ_TIMEOUT="1")
    yield srv
    srv.stop()


def _read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_slow005_stalled_headers_are_cut_off_after_the_read_timeout(quick_timeout_server):
    sock = quick_timeout_server.connect(PARTIAL_HEADERS, timeout=20)
    try:
        assert _read_until_closed(sock) == b""
    finally:
        sock.close()
    log = quick_timeout_server.log.read_text()
    assert "the client sent nothing for 1.0 s" in log and "Traceback" not in log


def test_slow006_stalled_body_gets_400_and_is_cut_off(quick_timeout_server):
    sock = quick_timeout_server.connect(PARTIAL_BODY, timeout=20)
    try:
        answer = _read_until_closed(sock)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert "Traceback" not in quick_timeout_server.log.read_text()


STALL_SECONDS = 20


@pytest.mark.load
def test_slow007_healthz_answers_while_30_clients_stay_stalled_past_the_read_timeout(server):
    """30 clients (20 in their headers, 10 in their bodies) held for 20 s, so the 10 s read timeout cuts them
    all midway: a probe every 0.5 s, each a new connection, is answered within 1 s throughout (gthread's
    2 s graceful close in its main loop froze the workers from t = 10 s)."""
    held = [server.connect(PARTIAL_BODY if i < 10 else PARTIAL_HEADERS) for i in range(HELD)]
    slow = []
    probes = 0
    try:
        start = time.monotonic()
        while (now := time.monotonic()) - start < STALL_SECONDS:
            try:
                status, _ = server.get("/healthz", timeout=1)
                took = time.monotonic() - now
                if status != 200 or took >= 1:
                    slow.append((round(now - start, 1), status, round(took, 2)))
            except OSError as exc:
                slow.append((round(now - start, 1), repr(exc)))
            probes += 1
            time.sleep(max(0.0, 0.5 - (time.monotonic() - now)))
    finally:
        for sock in held:
            sock.close()
    assert slow == [] and probes >= 30, (probes, slow)


CHUNKED = (
    b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)
MALFORMED_CHUNKED = {
    "bad chunk size": b"zz\r\n{}\r\n0\r\n\r\n",
    "negative chunk size": b"-2\r\n{}\r\n0\r\n\r\n",
    "chunk size too large": b"f" * 20 + b"\r\n{}\r\n0\r\n\r\n",
    "bad chunk extension": b"2;\x01x\r\n{}\r\n0\r\n\r\n",
    "missing chunk terminator": b"2\r\n{}XX0\r\n\r\n",
    "bad trailer": b"2\r\n{}\r\n0\r\nno colon\r\n\r\n",
}


def _exchange(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, half-close, and parse the one answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        raw = _read_until_closed(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("case", MALFORMED_CHUNKED)
def test_slow008_malformed_chunked_body_gets_400_with_the_apps_headers(server, case):
    status, headers, body = _exchange(server.port, CHUNKED + MALFORMED_CHUNKED[case])
    assert status == 400, (status, body[:300])
    assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors" in headers["Content-Security-Policy"]
    assert json.loads(body)["error"] == "bad request"
    assert "Traceback" not in server.log.read_text()


GUNICORNS_OWN = {
    "request line too long": (b"GET /" + b"x" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "too many header lines": (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n", 431),
    "header line too long": (b"GET / HTTP/1.1\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 431),
    "bad method": (b"G\x01T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "bad version": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400),
    "length and chunked": (CHUNKED.replace(b"\r\n\r\n", b"\r\nContent-Length: 3\r\n\r\n") + b"0\r\n\r\n", 400),
}


@pytest.mark.parametrize("case", GUNICORNS_OWN)
def test_slow009_gunicorns_own_refusals_carry_the_security_headers(server, case):
    data, expected = GUNICORNS_OWN[case]
    status, headers, body = _exchange(server.port, data)
    assert status == expected, (status, body[:300])
    for name, value in ERROR_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    assert headers["Content-Type"] == "application/json" and json.loads(body)["error"] == "bad request"


def _nginx_directive(conf: str, name: str) -> str:
    values = set(re.findall(rf"^\s*{name}\s+([^;]+);", conf, re.M))
    assert len(values) == 1, (name, values)
    return values.pop()


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_slow010_nginx_states_the_apps_limits():
    """deploy/nginx.conf repeats dashboard/limits.py: its body limit, request line, timeouts, the messages
    and headers of its own refusals. Change one side only and this fails."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert _nginx_size(_nginx_directive(conf, "client_max_body_size")) == limits.MAX_BODY_BYTES
    assert _nginx_size(_nginx_directive(conf, "client_body_buffer_size")) == limits.MAX_BODY_BYTES
    # The longest URI in a request line of MAX_REQUEST_LINE bytes: "GET " + URI + " HTTP/1.1".
    longest_uri = limits.MAX_REQUEST_LINE - len("GET  HTTP/1.1")
    assert re.search(r'"~\^\.\{(\d+)\}" 1;', conf)[1] == str(longest_uri + 1)
    count, size = _nginx_directive(conf, "large_client_header_buffers").split()
    assert _nginx_size(size) >= limits.MAX_HEADER_FIELD_BYTES and int(count) * _nginx_size(size) <= 4 * 8192
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout", "proxy_send_timeout"):
        assert _nginx_directive(conf, name) == f"{limits.READ_TIMEOUT}s", name
    # Clients' idle connections close after KEEPALIVE s; nginx's own to the instances a second before
    # gunicorn's do.
    keepalives = set(re.findall(r"^\s*keepalive_timeout\s+([^;]+);", conf, re.M))
    assert keepalives == {f"{limits.KEEPALIVE}s", f"{limits.KEEPALIVE - 1}s"}, keepalives
    assert _nginx_directive(conf, "proxy_read_timeout") == f"{limits.PROXY_READ_TIMEOUT}s"
    assert f"request larger than {limits.MAX_BODY_BYTES} bytes" in conf
    assert f"request line longer than {limits.MAX_REQUEST_LINE} bytes" in conf
    for name, value in limits.ERROR_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in conf, name


def test_slow011_a_malformed_body_the_app_did_not_read_ends_the_connection_after_one_answer(server):
    """A page request with a malformed chunked body: the page is answered, then the connection closes; no
    second answer (a 400) follows the first."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        raw = _read_until_closed(sock)
    assert raw.startswith(b"HTTP/1.1 200") and raw.count(b"HTTP/1.1 ") == 1, raw[:500]
