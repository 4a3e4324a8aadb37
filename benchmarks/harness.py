"""Shared pieces of the benchmarks and the load test: gunicorn processes and Dash update requests."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from dashboard.answers import answer_address
from dashboard.data import GROUPS

ROOT = Path(__file__).resolve().parent.parent
# The flags this workplace asks for (no background requests from the browser itself).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    """A free loopback port: from BENCHMARK_PORTS ("8700-8799") when set (a shared machine), else any."""
    first, _, last = os.environ.get("BENCHMARK_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port in BENCHMARK_PORTS")


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py TARGET` on a free loopback port, with the project's settings."""

    def __init__(self, target: str, workers: int = 2, data_dir: str | None = None):
        self.port = free_port()
        self.workers = workers
        env = dict(os.environ, PORT=str(self.port), WEB_CONCURRENCY=str(workers))
        env.pop("GUNICORN_ACCESSLOG", None)
        if data_dir:
            env["DASHBOARD_DATA_DIR"] = data_dir
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}", target],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ready_after = self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait(self, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/_dash-layout")
                if conn.getresponse().status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not answer")

    def memory_kib(self) -> dict:
        """RSS and PSS (shared pages split) of the master and its workers, in KiB."""
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        out = {"rss": 0, "pss": 0, "processes": len(pids)}
        for pid in pids:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss"):
                    out[name.lower()] += int(rest.split()[0])
        return out

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def dependencies(port: int) -> list[dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    return json.loads(conn.getresponse().read())


def data_version(port: int) -> str:
    """The data version the server on `port` serves (pages send it with every callback request)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/healthz")
    return json.loads(conn.getresponse().read())["data_version"]


def update_body(deps: list[dict], output_contains: str, values: dict, changed: str) -> bytes:
    """A Dash update request for the callback whose output names `output_contains`."""
    (dep,) = [d for d in deps if output_contains in d["output"] and not d.get("clientside_function")]

    def as_list(output: str) -> list[dict] | dict:
        parts = [p for p in output.strip(".").split("...")]
        items = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
        return items if output.startswith("..") else items[0]

    body = {
        "output": dep["output"],
        "outputs": as_list(dep["output"]),
        "inputs": [dict(i, value=values.get(f"{i['id']}.{i['property']}")) for i in dep["inputs"]],
        "state": [dict(s, value=values.get(f"{s['id']}.{s['property']}")) for s in dep["state"]],
        "changedPropIds": [changed],
    }
    return json.dumps(body).encode()


class Client:
    """One keep-alive connection that posts update requests the way a browser does (gzip accepted)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, body: bytes | str) -> tuple[int, bytes]:
        """POST `body` to Dash's callback endpoint, or GET `body` when it is an address (a choice's answer)."""
        headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
        try:
            if isinstance(body, str):
                self.conn.request("GET", body, headers={"Accept-Encoding": "gzip"})
            else:
                self.conn.request("POST", "/_dash-update-component", body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        data = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, data


def dashboard_year_paths(operation: str = "MLI", version: str = "") -> list[str]:
    """What a year change asks the dashboard for, for each year 2014-2025 (other choices at their defaults): the
    GET of its answer (dashboard/answers.py) at a page showing data `version` (another version than the
    server's is redirected to the server's)."""
    groups = "%2C".join(sorted(GROUPS))
    return [
        answer_address(
            version,
            f"op={operation}&year={year}&lang=en&groups={groups}&source=page&donor_type=all&donor=&sort=date_desc",
        )
        for year in range(2014, 2026)
    ]


def bare_year_bodies(deps: list[dict]) -> list[bytes]:
    return [update_body(deps, "figure.figure", {"year.value": str(year)}, "year.value") for year in range(2014, 2026)]
