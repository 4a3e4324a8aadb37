"""A year change (online and with the server stopped), a group toggle and a language switch on a field phone,
against the bare Dash app.

    python -m benchmarks.field [--runs 3] [--trace] [--trace-language] [--trace-load] [--only-traces]
                               [--out benchmarks/results/field.json]

The phone: Debian's chromium (Playwright), 390x844, CPU 4x slower (CDP Emulation.setCPUThrottlingRate),
emulated 3G (300 ms round trip, 1.6 Mbit/s down, 750 kbit/s up). The dashboard and the bare app
(benchmarks/bare_app.py) are served by gunicorn with the project's settings on 127.0.0.1 and measured
alternately in the same run. Each run opens a fresh page, waits until it has settled, then clicks:
- dashboard: a year (2018), then a group (refugees off), then Français;
- bare app: a year in its dropdown (2018).
The dashboard's clicks come once the page holds every year's answer (it fetches them when idle: `data-years-kept`
on the document), as a reader's would after a few seconds. Offline: a fresh dashboard server is visited until its
worker has saved the page and the page every year, then stopped (the process ends: no emulated offline mode); the
page is reloaded from the worker and a year (2018) chosen.
For each click: the time from the click event to the page settled (no request in flight but the page's answers
fetched ahead for later choices, no component loading, every chart drawn, and the last change to the document
followed by 1.5 s of quiet, stamped after the frame that shows it; the document element's own markers left
out), and the longest main-thread task from the click on (PerformanceObserver `longtask`). Medians of the runs.

--trace-load records one load of each app (fresh context, cold cache, until drawn and settled) in a Chrome trace
(benchmarks/results/trace-load-<app>.json): main-thread CPU, the tasks over 50 ms, and where the time went.
--only-traces skips the timed clicks. --trace also records one year change of the dashboard in a Chrome trace
(benchmarks/results/trace-year.json, open it in DevTools' Performance panel) with a sampled CPU profile, and
prints where the main thread's time went: by trace event (self time), by script and by function, and how many
updates of Dash's store it made; --trace-language the same for a switch to French (trace-language.json).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from benchmarks.harness import CHROMIUM_ARGS, ROOT, Gunicorn
from benchmarks.lighthouse import THREE_G, _self_time_by_script, short_name
from benchmarks.run import BARE, DASHBOARD, machine

PHONE = {"width": 390, "height": 844}
# A main-thread task in the trace (the name differs between Chromium versions).
TASKS = ("RunTask", "ThreadControllerImpl::RunTask")
QUIET_MS = 1500

# Installed before the page's own scripts: what the settled test and the long-task figure read.
PROBE = """
(() => {
  const f = (window.__field = {pending: 0, changed: 0, click: null, tasks: []});
  const fetch = window.fetch;
  window.fetch = function (address) {
    // The answers of the years around a choice, fetched once idle, are not the choice's wait.
    const ahead = String(address).includes("/answers/") && f.click !== null && performance.now() - f.click > 50;
    if (ahead) return fetch.apply(this, arguments);
    f.pending++;
    return fetch.apply(this, arguments).finally(() => { f.pending--; f.changed = performance.now(); });
  };
  // The document's last change, stamped after the frame that shows it.
  let queued = false;
  const stamp = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => setTimeout(() => { queued = false; f.changed = performance.now(); }, 0));
  };
  new MutationObserver((records) => {
    if (records.some((r) => r.target !== document.documentElement)) stamp();
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener("click", (e) => { if (f.click === null) f.click = e.timeStamp; }, true);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) f.tasks.push([e.startTime, e.duration]);
  }).observe({type: "longtask", buffered: true});
})();
"""
SETTLED = """(quiet) => {
  const f = window.__field;
  const charts = [...document.querySelectorAll(".js-plotly-plot")];
  return f.pending === 0
    && document.querySelector("[data-dash-is-loading=true]") === null
    && charts.length > 0 && charts.every((c) => c.querySelector(".main-svg"))
    && performance.now() - f.changed > quiet;
}"""
RESULT = """() => {
  const f = window.__field;
  const after = f.tasks.filter(([start, duration]) => start + duration > f.click);
  return {settled_ms: f.changed - f.click, longest_task_ms: Math.max(0, ...after.map(([, d]) => d)),
          long_tasks: after.length};
}"""
# Dash's renderer re-runs every mounted component's store selector on each store update: how many updates a
# click causes (and how many are one component's reset as it is mounted again) says how much work follows.
COUNT_STORE_UPDATES = """() => {
  const counts = (window.__storeUpdates = {updates: 0, component_resets: 0, by_action: {}});
  window.store.subscribe(() => { counts.updates++; });
  const dispatch = window.store.dispatch;
  window.store.dispatch = function (action) {
    if (action && action.type === "RESET_COMPONENT_STATE") counts.component_resets++;
    if (action && typeof action.type === "string") {
      counts.by_action[action.type] = (counts.by_action[action.type] || 0) + 1;
    }
    return dispatch.apply(this, arguments);
  };
}"""
# Drawn: the key numbers, the map's offices, and every chart within half a screen of the screen (the others are
# drawn as they come near it, assets/answers.js).
DRAWN = {
    "dashboard": """() => document.querySelectorAll('.kpis .kpi').length === 5
        && document.querySelectorAll('.leaflet-marker-icon.office-icon').length === 5
        && document.querySelectorAll('.card .dash-graph').length > 0
        && [...document.querySelectorAll('.card .dash-graph')].every((g) =>
             g.getBoundingClientRect().top > 1.5 * innerHeight || g.querySelector('.bars .point'))
        && !document.getElementById('first-view')""",
    "bare": "() => document.querySelector('.js-plotly-plot .bars .point') !== null",
}


def phone_page(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(PROBE)
    return page, cdp


def settle(page) -> None:
    page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=300_000, polling=100)


def measure(page, click) -> dict:
    """Run `click`, wait until the page has settled, return the figures for that click."""
    page.evaluate("() => { window.__field.click = null; }")
    click()
    page.wait_for_function("() => window.__field.click !== null", timeout=30_000)
    settle(page)
    return {k: round(v) for k, v in page.evaluate(RESULT).items()}


def open_page(browser, url: str, which: str):
    page, cdp = phone_page(browser)
    page.goto(url, timeout=300_000)
    page.wait_for_function(DRAWN[which], timeout=300_000, polling=100)
    if which == "dashboard":
        held_every_year(page)
    settle(page)
    return page, cdp


def held_every_year(page) -> None:
    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=300_000)


def open_controls(page) -> None:
    """Unfold the controls: on a phone they fold themselves again after a choice made by touch."""
    if not page.locator("details.controls-fold").evaluate("(d) => d.open"):
        page.locator("details.controls-fold > summary").click()
        settle(page)


def dashboard_clicks(page) -> dict:
    open_controls(page)
    out = {"year": measure(page, lambda: page.locator("#year label", has_text="2018").click())}
    # The first group's checkbox (refugees): one group fewer in every view.
    open_controls(page)
    out["group"] = measure(page, lambda: page.locator("#groups label").first.click())
    open_controls(page)
    out["language"] = measure(page, lambda: page.locator("#lang label", has_text="Français").click())
    return out


def offline_year(browser) -> dict:
    """A year change with the server stopped after one visit, on the page reloaded from the worker."""
    server = Gunicorn(DASHBOARD, workers=2)
    try:
        page, _cdp = open_page(browser, server.url + "/?year=2019", "dashboard")
        page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=300_000)
    finally:
        server.stop()
    page.reload(timeout=300_000)
    page.wait_for_function(DRAWN["dashboard"], timeout=300_000, polling=100)
    settle(page)
    open_controls(page)
    figures = measure(page, lambda: page.locator("#year label", has_text="2018").click())
    figures["offline_line_shown"] = int(page.locator("#offline-status").is_visible())
    page.context.close()
    return {"year_offline": figures}


def bare_clicks(page) -> dict:
    page.locator("#year").click()
    option = page.get_by_role("option", name="2018")
    option.wait_for(timeout=30_000)
    settle(page)
    return {"year": measure(page, option.click)}


def median_runs(runs: list[dict]) -> dict:
    out: dict = {}
    for action in runs[0]:
        out[action] = {
            key: round(statistics.median(r[action][key] for r in runs)) for key in runs[0][action] if key != "runs"
        }
        out[action]["runs"] = [r[action]["settled_ms"] for r in runs]
    return out


def _spans(events: list[dict], thread: tuple[int, int], start_us: float, end_us: float) -> list[dict]:
    return sorted(
        (e for e in events if e.get("ph") == "X" and (e["pid"], e["tid"]) == thread and start_us <= e["ts"] <= end_us),
        key=lambda e: (e["ts"], -e.get("dur", 0)),
    )


def cpu_time(events: list[dict], thread: tuple[int, int], start_us: float, end_us: float) -> int:
    """Milliseconds of CPU the main thread spent between two timestamps (`tdur` of its outermost events): unlike
    wall time it hardly grows when other processes share the machine."""
    total, end = 0.0, 0.0
    for e in _spans(events, thread, start_us, end_us):
        if e["ts"] >= end:
            total += e.get("tdur", 0)
            end = e["ts"] + e.get("dur", 0)
    return round(total / 1000)


def self_times(events: list[dict], thread: tuple[int, int], start_us: float, end_us: float) -> dict[str, float]:
    """Milliseconds of self time per trace event name on one thread between two timestamps."""
    spans = _spans(events, thread, start_us, end_us)
    out: dict[str, float] = {}
    stack: list[tuple[float, str]] = []  # (end, name) of the enclosing events
    for e in spans:
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        dur = e.get("dur", 0)
        out[e["name"]] = out.get(e["name"], 0) + dur / 1000
        if stack:
            out[stack[-1][1]] -= dur / 1000
        stack.append((e["ts"] + dur, e["name"]))
    return {k: round(v) for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 5}


def top_functions(profile: dict, count: int = 15) -> list[tuple[str, int]]:
    nodes = {n["id"]: n for n in profile["nodes"]}
    times: dict[str, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]["callFrame"]
        if frame["functionName"] in ("(idle)", "(program)", "(root)"):
            continue
        where = short_name(frame["url"]) if frame["url"].startswith("http") else ""
        key = f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}".strip()
        times[key] = times.get(key, 0.0) + delta / 1000
    return [(k, round(v)) for k, v in sorted(times.items(), key=lambda kv: -kv[1])[:count]]


def read_trace(path: Path, marker: str) -> tuple[list[dict], tuple[int, int]]:
    """A trace's events and the (pid, tid) of the page's main thread: the renderer's main thread of the process
    that recorded `marker` events (the click's EventDispatch, the load's ParseHTML; other renderers are
    extensions' or DevTools')."""
    events = json.loads(path.read_text())["traceEvents"]
    marked = {e.get("pid") for e in events if e.get("name") == marker}
    main = next(
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain" and e["pid"] in marked
    )
    return events, main


# The choices `--trace` and `--trace-language` record: the label clicked.
TRACED = {"year": ("#year label", "2018"), "language": ("#lang label", "Français")}


def trace_choice(browser, url: str, out: Path, choice: str = "year") -> dict:
    """One choice of the dashboard (a year, or the language) in a Chrome trace and a CPU profile; where its
    main-thread time went."""
    page, cdp = open_page(browser, url, "dashboard")
    open_controls(page)
    page.evaluate(COUNT_STORE_UPDATES)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    browser.start_tracing(
        page=page, path=str(out), categories=["toplevel", "devtools.timeline", "v8.execute", "blink.user_timing"]
    )
    cdp.send("Profiler.start")
    selector, label = TRACED[choice]
    figures = measure(page, lambda: page.locator(selector, has_text=label).click())
    profile = cdp.send("Profiler.stop")["profile"]
    browser.stop_tracing()
    store = page.evaluate("window.__storeUpdates")
    page.context.close()
    events, main = read_trace(out, "EventDispatch")
    clicks = [e["ts"] for e in events if e.get("name") == "EventDispatch" and e["args"]["data"]["type"] == "click"]
    start = min(clicks)
    end = start + figures["settled_ms"] * 1000
    return {
        "figures": figures,
        "main_thread_cpu_ms": cpu_time(events, main, start, end),
        "store_updates": store,
        "by_event_self_ms": self_times(events, main, start, end),
        "by_script_ms": {k: round(v) for k, v in sorted(_self_time_by_script(profile).items(), key=lambda kv: -kv[1])},
        "top_functions_ms": top_functions(profile),
    }


def long_tasks(events: list[dict], thread: tuple[int, int], start_us: float, end_us: float, profile: dict) -> dict:
    """The main thread's tasks over 50 ms between two timestamps: count, their time beyond 50 ms (the blocking
    time Lighthouse sums from the first paint on; here from the navigation), and the five longest: when they
    start (ms after `start_us`), how long, and the sampled time of each script inside them."""
    tasks = [e for e in _spans(events, thread, start_us, end_us) if e["name"] in TASKS and e["dur"] > 50_000]
    longest = sorted(tasks, key=lambda e: -e["dur"])[:5]
    return {
        "count": len(tasks),
        "blocking_ms": round(sum(e["dur"] / 1000 - 50 for e in tasks)),
        "longest": [
            {
                "at_ms": round((e["ts"] - start_us) / 1000),
                "ms": round(e["dur"] / 1000),
                "by_script_ms": {
                    k: round(v)
                    for k, v in sorted(
                        _self_time_by_script(profile, (e["ts"], e["ts"] + e["dur"])).items(), key=lambda kv: -kv[1]
                    )
                    if v >= 5
                },
            }
            for e in longest
        ],
    }


def trace_load(browser, url: str, which: str, out: Path) -> dict:
    """One load (fresh context: cold cache) in a Chrome trace and a CPU profile, until drawn and settled;
    where the main thread's time went."""
    page, cdp = phone_page(browser)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    browser.start_tracing(
        page=page, path=str(out), categories=["toplevel", "devtools.timeline", "v8.execute", "blink.user_timing"]
    )
    cdp.send("Profiler.start")
    page.goto(url, timeout=300_000)
    page.wait_for_function(DRAWN[which], timeout=300_000, polling=100)
    drawn_ms = page.evaluate("performance.now()")
    settle(page)
    settled_ms = page.evaluate("window.__field.changed")
    profile = cdp.send("Profiler.stop")["profile"]
    browser.stop_tracing()
    page.context.close()
    events, main = read_trace(out, "ParseHTML")
    starts = [e["ts"] for e in events if (e["pid"], e["tid"]) == main and e.get("name") == "ParseHTML"]
    start = min(starts)
    end = max(e["ts"] + e.get("dur", 0) for e in events if (e.get("pid"), e.get("tid")) == main and "ts" in e)
    return {
        "drawn_ms": round(drawn_ms),
        "settled_ms": round(settled_ms),
        "main_thread_cpu_ms": cpu_time(events, main, start, end),
        "long_tasks": long_tasks(events, main, start, end, profile),
        "by_event_self_ms": dict(list(self_times(events, main, start, end).items())[:15]),
        "by_script_ms": {k: round(v) for k, v in sorted(_self_time_by_script(profile).items(), key=lambda kv: -kv[1])},
        "top_functions_ms": top_functions(profile),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs per app (>= 3)")
    parser.add_argument("--trace", action="store_true", help="also trace one year change of the dashboard")
    parser.add_argument("--trace-language", action="store_true", help="also trace one language switch")
    parser.add_argument(
        "--trace-load", action="store_true", help="also trace one load of each app (fresh context, cold cache)"
    )
    parser.add_argument("--only-traces", action="store_true", help="skip the timed clicks: the traces only")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "field.json"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "runs": args.runs}
    servers = {"bare": Gunicorn(BARE, workers=2), "dashboard": Gunicorn(DASHBOARD, workers=2)}
    started = time.perf_counter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            seen: dict[str, list] = {"bare": [], "dashboard": []}
            for _ in range(0 if args.only_traces else args.runs):
                for name, server in servers.items():
                    page, _cdp = open_page(browser, server.url + ("/?year=2019" if name == "dashboard" else "/"), name)
                    seen[name].append(dashboard_clicks(page) if name == "dashboard" else bare_clicks(page))
                    page.context.close()
                    if name == "dashboard":
                        seen[name][-1].update(offline_year(browser))
                    print(name, seen[name][-1], flush=True)
            if not args.only_traces:
                results.update({name: median_runs(runs) for name, runs in seen.items()})
            if args.trace_load:
                results["trace_load"] = {
                    name: trace_load(
                        browser,
                        server.url + ("/?year=2019" if name == "dashboard" else "/"),
                        name,
                        out.with_name(f"trace-load-{name}.json"),
                    )
                    for name, server in servers.items()
                }
            for choice, key, wanted in (
                ("year", "trace", args.trace),
                ("language", "trace_language", args.trace_language),
            ):
                if wanted:
                    results[key] = trace_choice(
                        browser, servers["dashboard"].url + "/?year=2019", out.with_name(f"trace-{choice}.json"), choice
                    )
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    if not args.only_traces:
        bare_year = results["bare"]["year"]["settled_ms"]
        results["ratio_to_bare_year_settled"] = {
            action: round(figures["settled_ms"] / bare_year, 2) for action, figures in results["dashboard"].items()
        }
    results["seconds"] = round(time.perf_counter() - started)
    out.write_text(json.dumps(results, indent=1))
    print(json.dumps({k: v for k, v in results.items() if k != "machine"}, indent=1))


if __name__ == "__main__":
    main()
