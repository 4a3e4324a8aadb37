"""Throughput and p99 latency of page and callback requests through the production stack, in one run:

    python -m benchmarks.stack [--seconds 5] [--clients 16] [--out benchmarks/results/stack.json]

For 1, 2 and 4 instances (1 gunicorn worker each, so one instance is one process): `scripts/serve-stack`
(nginx in front) against the same instances reached directly, the clients spread over them (no proxy). The bare
Dash app behind one worker is the reference the other benchmarks use. Every server listens on 127.0.0.1 and is
stopped at the end; each load lasts `--seconds`.

Besides requests/s and latency (which on a shared machine say as much about the neighbours as about us), the
CPU time the servers spent per request is read from /proc: app processes and nginx apart. 1,000 ms divided by
it is what one core would serve, whatever else the machine was doing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.harness import (
    ROOT,
    Gunicorn,
    bare_year_bodies,
    dashboard_year_paths,
    data_version,
    dependencies,
    free_port,
)
from benchmarks.run import machine, percentile

UPDATE = "/_dash-update-component"
JSON = {"Content-Type": "application/json", "Accept-Encoding": "br, gzip"}
BROWSER = {"Accept-Encoding": "br, gzip", "Accept-Language": "en"}


TICK = os.sysconf("SC_CLK_TCK")


def processes() -> list[tuple[int, int, int, str]]:
    """(pid, parent pid, process group, name) of every process."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        out.append((int(stat.parent.name), int(fields[1]), int(fields[2]), name))
    return out


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time of `pids` so far, in ms."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / TICK


class ServeStack:
    """`scripts/serve-stack PORT N` with one worker per instance, until stop()."""

    def __init__(self, instances: int):
        self.port = free_port()
        env = dict(os.environ, WEB_CONCURRENCY="1", PYTHON=sys.executable)
        env.pop("GUNICORN_ACCESSLOG", None)
        self.proc = subprocess.Popen(
            ["bash", "scripts/serve-stack", str(self.port), str(instances)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        for line in self.proc.stdout:
            if line.startswith("serving "):
                break
        else:
            raise RuntimeError("serve-stack did not start")
        self.ports = [self.port]
        self.instances = instances

    def warm(self, requests: list) -> None:
        """Each request twice as many times in a row as there are instances: nginx's round robin reaches each."""
        load(self.ports, [r for r in requests for _ in range(self.instances * 2)], 0, 1, passes=1)

    def pids(self) -> dict[str, list[int]]:
        """The stack's processes (the supervisor's descendants: each instance has its own process group), nginx
        apart from the app's."""
        table = processes()
        below, group = {self.proc.pid}, []
        while True:
            found = [(pid, name) for pid, ppid, _, name in table if ppid in below and pid not in below]
            if not found:
                break
            below |= {pid for pid, _ in found}
            group += found
        return {
            "app": [pid for pid, name in group if name != "nginx"],
            "proxy": [pid for pid, name in group if name == "nginx"],
        }

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Direct:
    """N gunicorn instances reached directly, one worker each."""

    def __init__(self, instances: int, target: str = "dashboard.app:server"):
        self.servers = [Gunicorn(target, workers=1) for _ in range(instances)]
        self.ports = [s.port for s in self.servers]

    def warm(self, requests: list) -> None:
        for port in self.ports:
            load([port], requests, 0, 1, passes=1)

    def pids(self) -> dict[str, list[int]]:
        masters = {s.proc.pid for s in self.servers}
        return {"app": [pid for pid, ppid, _, _ in processes() if pid in masters or ppid in masters], "proxy": []}

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def requests_for(port: int, bare: bool) -> dict[str, list[tuple[str, str, bytes | None, dict]]]:
    """The page and callback requests to send, one per year, as a browser sends them."""
    deps = dependencies(port)
    if bare:
        callbacks = [("POST", UPDATE, body, JSON) for body in bare_year_bodies(deps)]
        pages = ["/"] * len(callbacks)
    else:
        # A choice's answer is a GET (dashboard/answers.py).
        callbacks = [("GET", path, None, BROWSER) for path in dashboard_year_paths(version=data_version(port))]
        pages = [f"/?year={year}" for year in range(2014, 2026)]
    return {"page": [("GET", path, None, BROWSER) for path in pages], "callback": callbacks}


def load(ports: list[int], requests: list, seconds: float, clients: int, passes: int = 0) -> dict:
    """`clients` threads, each on a keep-alive connection to ports[i % len(ports)], sending `requests` in turn
    for `seconds` (or, with `passes`, that many times over the list): requests/s, latency p50/p99 and every
    error counted."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=60)
        mine, n = [], i
        while (n - i < passes * len(requests)) if passes else time.perf_counter() < stop:
            method, path, body, headers = requests[n % len(requests)]
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors[0] += 1
            n += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
        "errors": errors[0],
    }


def measure(setup, seconds: float, clients: int, bare: bool = False) -> dict:
    """Page and callback load against one setup, once every worker has answered every request, with the
    servers' CPU time per request."""
    try:
        kinds = requests_for(setup.ports[0], bare)
        out = {}
        for kind, requests in kinds.items():
            setup.warm(requests)
            pids = setup.pids()
            before = {part: cpu_ms(p) for part, p in pids.items()}
            result = load(setup.ports, requests, seconds, clients)
            count = max(result["requests"], 1)
            for part, p in pids.items():
                result[f"{part}_cpu_ms_per_request"] = round((cpu_ms(p) - before[part]) / count, 3) if p else 0
            per_request = result["app_cpu_ms_per_request"] + result["proxy_cpu_ms_per_request"]
            result["per_core_requests_per_s"] = round(1000 / per_request) if per_request else None
            out[kind] = result
        return out
    finally:
        setup.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--instances", default="1,2,4")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "stack.json"))
    args = parser.parse_args()
    results: dict = {"machine": machine(), "seconds": args.seconds, "clients": args.clients}
    print("bare app, 1 worker ...", flush=True)
    results["bare"] = measure(Direct(1, "benchmarks.bare_app:server"), args.seconds, args.clients, bare=True)
    print(json.dumps(results["bare"]), flush=True)
    for n in (int(x) for x in args.instances.split(",")):
        for name, make in (("direct", Direct), ("stack", ServeStack)):
            key = f"{name}_{n}"
            print(f"{key} ...", flush=True)
            results[key] = measure(make(n), args.seconds, args.clients)
            print(json.dumps(results[key]), flush=True)
    for key, value in results.items():
        if re.fullmatch(r"(direct|stack)_\d+", key):
            for kind in ("page", "callback"):
                value[kind]["vs_bare"] = round(
                    value[kind]["requests_per_s"] / results["bare"][kind]["requests_per_s"], 3
                )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
