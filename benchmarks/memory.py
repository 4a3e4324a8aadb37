"""Memory of one gunicorn worker under many distinct requests, against the bare Dash app in the same run.

    python -m benchmarks.memory [--requests 3000] [--out benchmarks/results/memory.json]

Each server runs with the project's gunicorn settings and one worker, on loopback. After a warm-up, it gets
`--requests` update requests that all differ: for the dashboard, the donor search box (`feed-donor`) with a
new text each time, the free text a visitor can type; for the bare app, its dropdown with a new value each
time. The worker's resident memory (RSS) is read before and after; the growth in MB is the figure to watch
(the issue's bound: under 100 MB for 3,000 requests). Bounded: a fixed number of requests, then the servers
are stopped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.harness import ROOT, Client, Gunicorn, dashboard_year_paths, data_version, dependencies, update_body
from dashboard.data import GROUPS

WARM_UP = 50


def worker_rss_mb(server: Gunicorn) -> float:
    """Resident memory of the server's only worker, in MB."""
    master = server.proc.pid
    (worker,) = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for line in Path(f"/proc/{worker}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS for the worker")


def donor_bodies(count: int, version: str = "", operation: str = "MLI") -> list[str]:
    """What typing a donor name asks for, with a different text each time (year 2021, other choices at their
    defaults): the answer's address (dashboard/answers.py)."""
    groups = "%2C".join(sorted(GROUPS))
    return [
        f"/answers/{version}?op={operation}&year=2021&lang=en&groups={groups}&source=page"
        f"&donor_type=all&donor=donor+{i}&sort=date_desc"
        for i in range(count)
    ]


def bare_bodies(deps: list[dict], count: int) -> list[bytes]:
    return [update_body(deps, "figure.figure", {"year.value": str(100_000 + i)}, "year.value") for i in range(count)]


def measure(target: str, bodies: list[bytes] | list[str], warm_up: list[bytes] | list[str]) -> dict:
    server = Gunicorn(target, workers=1)
    try:
        client = Client(server.port)
        for body in warm_up:
            assert client.post(body)[0] == 200
        before = worker_rss_mb(server)
        started = time.perf_counter()
        for body in bodies:
            status, _ = client.post(body)
            assert status == 200, status
        seconds = time.perf_counter() - started
        after = worker_rss_mb(server)
    finally:
        server.stop()
    return {
        "requests": len(bodies),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "growth_kb_per_request": round((after - before) * 1024 / len(bodies), 2),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "memory.json"))
    args = parser.parse_args()

    probe = Gunicorn("benchmarks.bare_app:server", workers=1)
    try:
        bare_deps = dependencies(probe.port)
    finally:
        probe.stop()
    bare = measure(
        "benchmarks.bare_app:server", bare_bodies(bare_deps, args.requests), bare_bodies(bare_deps, WARM_UP)[::-1]
    )

    probe = Gunicorn("dashboard.app:server", workers=1)
    try:
        version = data_version(probe.port)
    finally:
        probe.stop()
    # Warm-up: every year once, then a few donor texts the measured run does not send.
    warm_up = dashboard_year_paths(version=version) + [
        p.replace("donor=donor+", "donor=warm-up+") for p in donor_bodies(WARM_UP, version)
    ]
    dashboard = measure("dashboard.app:server", donor_bodies(args.requests, version), warm_up)

    result = {
        "bare": bare,
        "dashboard": dashboard,
        "extra_growth_mb": round(dashboard["growth_mb"] - bare["growth_mb"], 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'':12}{'requests':>10}{'RSS before':>12}{'RSS after':>12}{'growth':>10}{'per request':>14}")
    for name, r in (("bare app", bare), ("dashboard", dashboard)):
        print(
            f"{name:12}{r['requests']:>10,}{r['rss_before_mb']:>9.1f} MB{r['rss_after_mb']:>9.1f} MB"
            f"{r['growth_mb']:>7.1f} MB{r['growth_kb_per_request']:>10.2f} kB"
        )
    print(f"dashboard growth beyond the bare app's: {result['extra_growth_mb']} MB (bound: 100 MB)")


if __name__ == "__main__":
    main()
