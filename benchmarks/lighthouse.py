"""Field benchmarks, as ratios to the bare Dash app served the same way in the same run.

    python -m benchmarks.lighthouse [--runs 2] [--out benchmarks/results/lighthouse.json]

1. Lighthouse (npm, pinned in package-lock.json) with its mobile preset (simulated slow 4G, 4x slower CPU)
   and its desktop preset, against Debian's chromium: performance score, LCP, TBT, CLS, FCP, bytes; medians
   of --runs runs each, the dashboard and the bare app alternating so both see the same machine load.
2. What each script costs the dashboard: bytes on the wire and bytes the page never executes (Lighthouse's
   network-requests and unused-javascript, mobile runs), and main-thread time under a 4x slower CPU: the
   time in each script's own functions from a sampled CPU profile (Chromium's CPU throttling), since
   Lighthouse's bootup-time charges whole tasks to the script that started them (React's work loop gets the
   components' rendering).
3. Time until the first figure is readable under emulated 3G (300 ms round trip, 1.6 Mbit/s down, 750 kbit/s
   up; Chromium's own network emulation), cold cache, and until every view has drawn.
Both servers are gunicorn with the project's settings on 127.0.0.1, stopped at the end (4-5 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from dash.fingerprint import check_fingerprint

from benchmarks.harness import CHROMIUM_ARGS, ROOT, Gunicorn, free_port
from benchmarks.run import BARE, DASHBOARD, machine

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
METRICS = {
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "fcp_ms": "first-contentful-paint",
    "speed_index_ms": "speed-index",
    "bytes": "total-byte-weight",
}
THREE_G = {"offline": False, "latency": 300, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
# A figure is readable when its text is in the page (the first key number; the bare app's bars), checked on
# every DOM change from the first byte and stamped at the next frame.
READABLE = {
    "dashboard": "() => { const dd = document.querySelector('.kpis .kpi dd'); return !!(dd && dd.textContent.trim()); }",
    "bare": "() => document.querySelector('.js-plotly-plot .bars .point') !== null",
}
# Drawn: the key numbers, the map's offices, and every chart within half a screen of the screen (the others are
# drawn as they come near it, assets/answers.js).
DRAWN = {
    "dashboard": """() => document.querySelectorAll('.kpis .kpi').length === 5
        && document.querySelectorAll('.leaflet-marker-icon.office-icon').length === 5
        && document.querySelectorAll('.card .dash-graph').length > 0
        && [...document.querySelectorAll('.card .dash-graph')].every((g) =>
             g.getBoundingClientRect().top > 1.5 * innerHeight || g.querySelector('.bars .point'))""",
    "bare": READABLE["bare"],
}
STAMP = """
(() => {
  const readable = %s;
  const observer = new MutationObserver(() => {
    if (window.__readable === undefined && readable()) {
      window.__readable = null;
      requestAnimationFrame(() => { window.__readable = performance.now(); });
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true, characterData: true});
})();
"""


def lighthouse(url: str, preset: str, out_dir: Path) -> dict:
    """One Lighthouse run; returns the report (performance category only)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is missing: run `npm ci` (it is pinned in package-lock.json)")
    report = out_dir / f"lh-{preset}-{time.monotonic_ns()}.json"
    args = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance",
        "--quiet",
        f"--port={free_port()}",
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "/usr/bin/chromium")
    subprocess.run(args, env=env, check=True, timeout=180, capture_output=True)
    data = json.loads(report.read_text())
    report.unlink()
    return data


def summary(report: dict) -> dict:
    out = {name: report["audits"][audit]["numericValue"] for name, audit in METRICS.items()}
    out["score"] = report["categories"]["performance"]["score"]
    # Lighthouse's render-blocking audit: how many requests it lists (the target is none).
    out["render_blocking"] = len(report["audits"]["render-blocking-resources"].get("details", {}).get("items", []))
    return out


def render_blocking(report: dict) -> list[str]:
    """The files Lighthouse's render-blocking audit lists, by name."""
    return [
        short_name(i["url"]) for i in report["audits"]["render-blocking-resources"].get("details", {}).get("items", [])
    ]


def short_name(url: str) -> str:
    path = urlparse(url).path
    return "/" if path == "/" else check_fingerprint(path.rsplit("/", 1)[-1])[0]


def scripts(report: dict) -> dict:
    """Per script: bytes transferred, main-thread ms (4x CPU in the mobile preset), bytes never executed."""
    out: dict[str, dict] = {}
    for item in report["audits"]["network-requests"]["details"]["items"]:
        if item.get("resourceType") == "Script":
            out.setdefault(short_name(item["url"]), {})["bytes"] = item.get("transferSize", 0)
    for item in report["audits"]["bootup-time"]["details"]["items"]:
        name = short_name(item["url"]) if item["url"].startswith("http") else item["url"]
        entry = out.setdefault(name, {})
        entry["main_thread_ms"] = item["total"]
        entry["scripting_ms"] = item["scripting"]
        entry["parse_compile_ms"] = item["scriptParseCompile"]
    for item in report["audits"]["unused-javascript"]["details"]["items"]:
        out.setdefault(short_name(item["url"]), {})["unused_bytes"] = item["wastedBytes"]
    return out


def median_of(runs: list[dict]) -> dict:
    keys = {k for r in runs for k in r}
    return {k: round(statistics.median([r.get(k, 0) for r in runs]), 3) for k in sorted(keys)}


def bench_lighthouse(servers: dict[str, Gunicorn], runs: int) -> dict:
    results: dict = {}
    per_script: list[dict] = []
    blocking: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for preset in ("mobile", "desktop"):
            seen: dict[str, list[dict]] = {"bare": [], "dashboard": []}
            for _ in range(runs):
                for name, server in servers.items():
                    report = lighthouse(server.url + "/", preset, Path(tmp))
                    seen[name].append(summary(report))
                    if name == "dashboard" and preset == "mobile":
                        per_script.append(scripts(report))
                        blocking.update(render_blocking(report))
                    print(preset, name, seen[name][-1], flush=True)
            results[preset] = {name: median_of(values) for name, values in seen.items()}
            results[preset]["runs"] = seen
            b, d = results[preset]["bare"], results[preset]["dashboard"]
            results[preset]["ratio"] = {
                k: round(d[k] / b[k], 2) if b[k] else None for k in ("lcp_ms", "tbt_ms", "fcp_ms", "bytes")
            }
    names = {n for run in per_script for n in run}
    results["render_blocking_mobile"] = sorted(blocking)
    results["scripts_mobile"] = {n: median_of([run[n] for run in per_script if n in run]) for n in sorted(names)}
    return results


def first_figure(url: str, which: str, runs: int) -> dict:
    """Milliseconds from navigation to a readable figure and to every view drawn, under emulated 3G."""
    from playwright.sync_api import sync_playwright

    readable, drawn = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THREE_G)
            page.add_init_script(STAMP % READABLE[which])
            page.goto(url, wait_until="commit", timeout=120_000)
            page.wait_for_function(DRAWN[which], timeout=120_000, polling=50)
            drawn.append(page.evaluate("performance.now()"))
            page.wait_for_function("() => typeof window.__readable === 'number'", timeout=10_000)
            readable.append(page.evaluate("window.__readable"))
            context.close()
        browser.close()
    return {"readable_ms": round(statistics.median(readable)), "drawn_ms": round(statistics.median(drawn))}


def _self_time_by_script(profile: dict, window: tuple[float, float] | None = None) -> dict[str, float]:
    """Sampled time per script; a built-in (DOM call, regular expression) counts for the script that called it.
    With `window` (start, end in the profile's microseconds, the trace's clock), only the samples inside it."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}

    def owner(node_id: int) -> str | None:
        frame = nodes[node_id]["callFrame"]
        if frame["functionName"] in ("(idle)", "(program)", "(root)"):
            return None
        if frame["functionName"] == "(garbage collector)":
            return "(garbage collector)"
        while node_id is not None:
            url = nodes[node_id]["callFrame"]["url"]
            if url.startswith("http"):
                return short_name(url)
            node_id = parent.get(node_id)
        return "(other: browser, test driver)"

    times: dict[str, float] = {}
    at = profile["startTime"]
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        at += delta
        if window and not window[0] <= at <= window[1]:
            continue
        name = owner(node_id)
        if name:
            times[name] = times.get(name, 0.0) + delta / 1000
    return times


def script_self_time(url: str, runs: int) -> dict:
    """Median milliseconds of main-thread time in each script's own functions, CPU 4x slower, until drawn."""
    from playwright.sync_api import sync_playwright

    per_run: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 500})
            cdp.send("Profiler.start")
            page.goto(url)
            page.wait_for_function(DRAWN["dashboard"], timeout=120_000, polling=50)
            page.wait_for_load_state("networkidle")
            profile = cdp.send("Profiler.stop")["profile"]
            context.close()
            per_run.append(_self_time_by_script(profile))
        browser.close()
    return {k: round(v) for k, v in sorted(median_of(per_run).items(), key=lambda kv: -kv[1]) if v >= 1}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2, help="Lighthouse and 3G runs per page and preset (>= 2)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "lighthouse.json"))
    args = parser.parse_args()
    results: dict = {"machine": machine(), "runs": args.runs}
    servers = {"bare": Gunicorn(BARE, workers=2), "dashboard": Gunicorn(DASHBOARD, workers=2)}
    started = time.perf_counter()
    try:
        results["lighthouse"] = bench_lighthouse(servers, args.runs)
        results["three_g"] = {name: first_figure(s.url + "/", name, args.runs) for name, s in servers.items()}
        results["self_time_4x_cpu"] = script_self_time(servers["dashboard"].url + "/", args.runs)
    finally:
        for server in servers.values():
            server.stop()
    g = results["three_g"]
    g["ratio_readable"] = round(g["dashboard"]["readable_ms"] / g["bare"]["readable_ms"], 2)
    results["seconds"] = round(time.perf_counter() - started)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(json.dumps({k: v for k, v in results.items() if k != "lighthouse"}, indent=1))
    for preset in ("mobile", "desktop"):
        lh = results["lighthouse"][preset]
        print(preset, json.dumps({k: lh[k] for k in ("bare", "dashboard", "ratio")}, indent=1))
    print(json.dumps(results["lighthouse"]["scripts_mobile"], indent=1))
    print(json.dumps(results["self_time_4x_cpu"], indent=1))


if __name__ == "__main__":
    main()
