"""Benchmarks of the dashboard as ratios to a bare Dash app measured in the same run.

    python -m benchmarks.run [--quick] [--out benchmarks/results/latest.json]

1. callback latency of a year change (p50, p99) vs the bare app's callback;
2. page load in headless Chromium until every view has drawn, and bytes on the wire;
3. scale: 150 operations, 30 years, 50,000 contributions: start-up, memory, year-change latency vs Mali only;
4. throughput under gunicorn with 2 workers (wrk when installed, else a threaded Python client).
Every server is started here on loopback and stopped at the end; nothing is timed in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.harness import (
    CHROMIUM_ARGS,
    ROOT,
    Client,
    Gunicorn,
    bare_year_bodies,
    dashboard_year_paths,
    data_version,
    dependencies,
)

DASHBOARD = "dashboard.app:server"
BARE = "benchmarks.bare_app:server"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def latencies(server: Gunicorn, bodies: list[bytes], rounds: int, cold: list | None = None) -> list[float]:
    """Milliseconds per request on one keep-alive connection, after warm-up passes over the bodies.

    The warm-up requests (selections a worker has not seen yet) go to `cold` when given; one pass is made
    per worker, since each worker has its own caches.
    """
    client = Client(server.port)
    for _ in range(server.workers):
        for body in bodies:
            t = time.perf_counter()
            status, _ = client.post(body)
            if cold is not None:
                cold.append((time.perf_counter() - t) * 1000)
            assert status == 200, status
    out = []
    for i in range(rounds):
        t = time.perf_counter()
        status, _ = client.post(bodies[i % len(bodies)])
        out.append((time.perf_counter() - t) * 1000)
        assert status == 200
    return out


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 50), 3), "p99_ms": round(percentile(values, 99), 3)}


def bench_latency(rounds: int) -> dict:
    bare = Gunicorn(BARE, workers=1)
    dash = Gunicorn(DASHBOARD, workers=1)
    try:
        b = latencies(bare, bare_year_bodies(dependencies(bare.port)), rounds)
        d = latencies(dash, dashboard_year_paths(version=data_version(dash.port)), rounds)
    finally:
        bare.stop()
        dash.stop()
    return {
        "bare": summary(b),
        "dashboard": summary(d),
        "ratio_p50": round(percentile(d, 50) / percentile(b, 50), 2),
        "ratio_p99": round(percentile(d, 99) / percentile(b, 99), 2),
    }


# The dashboard's charts more than half a screen below it are drawn as they come near it (assets/answers.js).
DRAWN = {
    "bare": "() => document.querySelectorAll('#figure .point').length === 3",
    "dashboard": """() => document.querySelectorAll('#kpis .kpi').length === 5
        && document.querySelectorAll('.card .dash-graph').length === 4
        && [...document.querySelectorAll('.card .dash-graph')].every((g) =>
             g.getBoundingClientRect().top > 1.5 * innerHeight || g.querySelector('.bars .point'))
        && document.querySelectorAll('path.map-region').length === 9
        && document.querySelectorAll('.leaflet-marker-icon.office-icon').length === 5
        && document.querySelector('#keyfig-body li') !== null
        && document.querySelector('#feed-table') !== null""",
}


def page_loads(url: str, drawn: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    times, sizes = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for _ in range(runs + 1):  # the first run warms the server's caches and is dropped
            context = browser.new_context()
            page = context.new_page()
            received = []
            page.on("requestfinished", lambda r, received=received: received.append(r))
            page.goto(url)
            page.wait_for_function(drawn, timeout=60_000, polling=20)
            times.append(page.evaluate("performance.now()"))
            page.wait_for_load_state("networkidle")
            total = 0
            for r in received:
                s = r.sizes()
                total += s["responseBodySize"] + s["responseHeadersSize"]
            sizes.append(total)
            context.close()
        browser.close()
    return {"drawn_ms": round(statistics.median(times[1:]), 1), "bytes": int(statistics.median(sizes[1:]))}


def bench_page(runs: int) -> dict:
    bare = Gunicorn(BARE, workers=2)
    dash = Gunicorn(DASHBOARD, workers=2)
    try:
        b = page_loads(bare.url + "/", DRAWN["bare"], runs)
        d = page_loads(dash.url + "/", DRAWN["dashboard"], runs)
    finally:
        bare.stop()
        dash.stop()
    return {"bare": b, "dashboard": d, "ratio_time": round(d["drawn_ms"] / b["drawn_ms"], 2)}


def bench_scale(rounds: int) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        scale_dir = Path(tmp) / "data"
        synthetic.write(scale_dir)
        for name, data_dir in (("mali_only", None), ("scale", str(scale_dir))):
            # One worker: with gunicorn's sync workers the kernel hands most requests to whichever worker
            # is back in accept() first, so a second worker's caches stay cold and its first hits (not the
            # data size) would decide the p99.
            server = Gunicorn(DASHBOARD, workers=1, data_dir=data_dir)
            try:
                bodies = dashboard_year_paths(version=data_version(server.port))
                cold: list[float] = []
                lat = latencies(server, bodies, rounds, cold)
                out[name] = {
                    "startup_s": round(server.ready_after, 2),
                    **summary(lat),
                    "warm_up_max_ms": round(max(cold), 1),
                    "memory_kib": server.memory_kib(),
                }
            finally:
                server.stop()
    out["ratio_p50"] = round(out["scale"]["p50_ms"] / out["mali_only"]["p50_ms"], 2)
    out["ratio_p99"] = round(out["scale"]["p99_ms"] / out["mali_only"]["p99_ms"], 2)
    return out


def _wrk(server: Gunicorn, body: bytes | str, seconds: int, connections: int) -> dict:
    """wrk POSTing a callback `body`, or GETting an answer's address (`body` a str: the dashboard's choices)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if isinstance(body, str):
            script.write('wrk.method = "GET"\nwrk.headers["Accept-Encoding"] = "gzip"\n')
        else:
            script.write(
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                'wrk.headers["Accept-Encoding"] = "gzip"\n'
                f"wrk.body = {json.dumps(body.decode())}\n"
            )
    target = server.url + (body if isinstance(body, str) else "/_dash-update-component")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, target],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rps = float(next(line for line in out.splitlines() if line.startswith("Requests/sec")).split()[1])
    errors = sum(int(x) for line in out.splitlines() if "Non-2xx" in line for x in line.split()[-1:])
    return {"requests_per_s": rps, "errors": errors, "tool": "wrk"}


def load(server: Gunicorn, bodies: list[bytes], seconds: float, clients: int) -> dict:
    """`clients` threads each posting in a loop for `seconds`: requests/s and every error counted."""
    stop = time.perf_counter() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def run(i: int) -> None:
        client = Client(server.port)
        n = i
        while time.perf_counter() < stop:
            try:
                status, _ = client.post(bodies[n % len(bodies)])
                ok = status == 200
            except Exception:  # noqa: BLE001 - every failure counts as an error
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1
            n += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "requests_per_s": round(counts["ok"] / elapsed, 1),
        "errors": counts["errors"],
        "requests": counts["ok"] + counts["errors"],
        "tool": "python threads",
    }


def bench_throughput(seconds: int) -> dict:
    out = {}
    for name, target, make in (
        ("bare", BARE, lambda port: bare_year_bodies(dependencies(port))),
        ("dashboard", DASHBOARD, lambda port: dashboard_year_paths(version=data_version(port))),
    ):
        server = Gunicorn(target, workers=2)
        try:
            bodies = make(server.port)
            latencies(server, bodies, 0)
            if shutil.which("wrk"):
                out[name] = _wrk(server, bodies[5], seconds, 16)
            else:
                out[name] = load(server, bodies, seconds, 16)
        finally:
            server.stop()
    out["ratio"] = round(out["dashboard"]["requests_per_s"] / out["bare"]["requests_per_s"], 3)
    return out


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "latest.json"))
    parser.add_argument("--only", default="", help="comma-separated: latency,page_load,scale,throughput")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    rounds, runs, seconds = (100, 2, 3) if args.quick else (1000, 5, 10)
    results = {"machine": machine()}
    for name, bench in (
        ("latency", lambda: bench_latency(rounds)),
        ("page_load", lambda: bench_page(runs)),
        ("scale", lambda: bench_scale(rounds // 2)),
        ("throughput", lambda: bench_throughput(seconds)),
    ):
        if only and name not in only:
            continue
        print(f"running {name} ...", flush=True)
        results[name] = bench()
        print(json.dumps(results[name], indent=1), flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
