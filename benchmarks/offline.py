"""Offline use: what saving every year costs on the wire, and how fast a saved year shows with no server.

    python -m benchmarks.offline [--runs 3] [--bytes-only | --stand-in]

Both apps run in this process on loopback (werkzeug, threaded) behind a WSGI counter of the bytes each answer
sends (bodies as compressed on the wire, headers left out), so the worker's own requests are counted too.
Bytes: a first visit with service workers blocked (the page as before), the same visit with the worker until
it has saved every year, a repeat visit, and another selection (one group). Times on the phone profile
(390x844, CPU slowed 4x through CDP Emulation.setCPUThrottlingRate), from navigation until the interactive
page shows the year's people of concern: online, then with the server stopped (reload, a year chosen with the
control, a new tab at the saved address), against the bare app's page load under the same profile.
The second visit is also counted on the wire (headers included, both ways) through a byte-counting TCP relay
(WireProxy) in front of a warm server: a first visit until every year is saved, then a reload.
What the browser stores (navigator.storage.estimate) after each. Results go to benchmarks/results/offline.json.
`--stand-in` measures only an address reached offline (the server stopped after one visit, a year chosen from
kept answers, then the page reloaded: the worker's stand-in page filled from the kept answer), against the
bare app's reload, into benchmarks/results/offline-stand-in.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import threading
from pathlib import Path

from benchmarks.harness import CHROMIUM_ARGS, ROOT, free_port

PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
NNBSP = "\u202f"
KPI = "#react-entry-point .kpis .kpi"
BARE_DRAWN = "document.querySelectorAll('#figure .bars path, #figure .point path').length >= 3"


class Counted:
    """A WSGI app that adds up the bytes of every answer it sends."""

    def __init__(self, app):
        self.app = app
        self.bytes = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        for chunk in self.app(environ, start_response):
            with self.lock:
                self.bytes += len(chunk)
            yield chunk


class WireProxy:
    """A TCP relay on a loopback port in front of `port` that counts every byte on the wire both ways (headers,
    bodies as compressed, chunking): what a phone's link carries. Threads, one pair per connection."""

    def __init__(self, port: int):
        import socket

        self.target = port
        self.down = 0  # server -> browser
        self.up = 0
        self.lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", free_port()))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                client.close()  # the server is gone: the browser sees the link fail
                continue
            threading.Thread(target=self._pipe, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, "down"), daemon=True).start()

    def _pipe(self, source, sink, direction: str) -> None:
        try:
            while chunk := source.recv(65536):
                with self.lock:
                    setattr(self, direction, getattr(self, direction) + len(chunk))
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(2)
                    sock.close()

    def total(self) -> int:
        return self.down + self.up

    def stop(self) -> None:
        self._listener.close()


class Server:
    """A Flask app on a free loopback port in a thread; `stop()` closes its socket for good."""

    def __init__(self, flask_app):
        from werkzeug.serving import make_server

        if not isinstance(flask_app.wsgi_app, Counted):
            flask_app.wsgi_app = Counted(flask_app.wsgi_app)
        self.counter = flask_app.wsgi_app
        self._server = make_server("127.0.0.1", free_port(), flask_app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def _phone(browser, block_workers: bool = False):
    return browser.new_context(viewport=PHONE, service_workers="block" if block_workers else "allow")


def _throttled(context, page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def _timed(page, action, text: str) -> float:
    """Milliseconds from `action` until the first key number of the interactive page shows `text`."""
    start = page.evaluate("Date.now()")
    action()
    page.wait_for_function(
        "([sel, text]) => { const k = document.querySelector(sel); return k && k.textContent.includes(text); }",
        arg=[KPI, text],
        timeout=120_000,
        polling=20,
    )
    return page.evaluate("Date.now()") - start


def _saved(page) -> None:
    """The worker has saved the page, and the page holds every year's answer (which the worker keeps too)."""
    page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=180_000)
    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=180_000)


def measure_wire(browser, server: Server, address: str) -> dict:
    """A first and a second visit (reload; the worker in place), counted on the wire through WireProxy: bytes
    both ways, headers included; the second visit after the page and every year were saved."""
    proxy = WireProxy(int(server.url.rsplit(":", 1)[1]))
    try:
        context = _phone(browser)
        page = context.new_page()
        page.goto(proxy.url + address)
        _saved(page)
        page.wait_for_load_state("networkidle")
        out = {"first_visit_wire": proxy.total()}
        before, before_down = proxy.total(), proxy.down
        page.reload()
        page.wait_for_selector(KPI)
        _saved(page)
        page.wait_for_load_state("networkidle")
        out["second_visit_wire"] = proxy.total() - before
        out["second_visit_wire_down"] = proxy.down - before_down
        context.close()
    finally:
        proxy.stop()
    return out


def measure_bytes(browser, server: Server, address: str) -> dict:
    out = {}
    context = _phone(browser, block_workers=True)
    page = context.new_page()
    before = server.counter.bytes
    page.goto(server.url + address)
    page.wait_for_selector(KPI)
    page.wait_for_load_state("networkidle")
    out["first_visit_without_worker"] = server.counter.bytes - before
    context.close()

    context = _phone(browser)
    page = context.new_page()
    before = server.counter.bytes
    page.goto(server.url + address)
    _saved(page)
    out["first_visit_with_every_year_saved"] = server.counter.bytes - before
    out["saving_every_year"] = out["first_visit_with_every_year_saved"] - out["first_visit_without_worker"]
    out["stored_after_first_visit"] = page.evaluate("navigator.storage.estimate().then((e) => e.usage)")
    before = server.counter.bytes
    page.reload()
    _saved(page)
    out["repeat_visit"] = server.counter.bytes - before
    before = server.counter.bytes
    page.goto(server.url + address + "&groups=refugees")
    _saved(page)
    out["another_selection_every_year"] = server.counter.bytes - before
    out["stored_after_two_selections"] = page.evaluate("navigator.storage.estimate().then((e) => e.usage)")
    context.close()
    return out


def measure_times(browser, server: Server, address: str) -> dict:
    context = _phone(browser)
    page = context.new_page()
    page.goto(server.url + address)
    _saved(page)
    _throttled(context, page)
    online = _timed(page, page.reload, f"275{NNBSP}779")
    server.stop()
    reload = _timed(page, page.reload, f"275{NNBSP}779")

    def choose_2018():
        page.click("summary.controls-summary")
        page.click(".year-row label:has-text('2018')")

    year = _timed(page, choose_2018, f"154{NNBSP}432")
    tab = context.new_page()
    _throttled(context, tab)
    tab.goto("about:blank")
    new_tab = _timed(tab, lambda: tab.goto(server.url + address), f"275{NNBSP}779")
    context.close()
    return {
        "online_reload_ms": online,
        "offline_reload_ms": reload,
        "offline_year_ms": year,
        "offline_new_tab_ms": new_tab,
    }


# When the stand-in page's interactive page had drawn (Dash started) and when it showed, filled (ms after the
# navigation started).
STAND_IN_MARKS = """
window.marks = {};
new MutationObserver(() => {
    const html = document.documentElement;
    if (html.hasAttribute("data-drawn") && !window.marks.drawn) window.marks.drawn = performance.now();
    if (html.hasAttribute("data-stand-in-shown") && !window.marks.shown) window.marks.shown = performance.now();
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-drawn", "data-stand-in-shown"]});
"""


def measure_stand_in(browser, server: Server, address: str) -> dict:
    """The server stopped after one visit: a year chosen from the kept answers (the address now names it), then
    that address reloaded, which was never saved as a page: the worker serves the stand-in page, which shows
    once filled from the year's kept answer. Both timed until the year's first key number shows."""
    context = _phone(browser)
    page = context.new_page()
    page.goto(server.url + address)
    _saved(page)
    page.wait_for_function(
        """async () => {
            const name = (await caches.keys()).find((n) => n.startsWith("dashboard-pages-"));
            return !!name && (await (await caches.open(name)).keys()).some((r) => r.url.includes("/offline-page?"));
        }""",
        timeout=60_000,
    )
    server.stop()
    _throttled(context, page)

    def choose_2018():
        page.click("summary.controls-summary")
        page.click(".year-row label:has-text('2018')")

    year = _timed(page, choose_2018, f"154{NNBSP}432")
    page.add_init_script(STAND_IN_MARKS)
    start = page.evaluate("Date.now()")
    response = page.reload()
    page.wait_for_function(
        "([sel, text]) => { const k = document.querySelector(sel); return k && k.textContent.includes(text)"
        " && document.documentElement.hasAttribute('data-stand-in-shown'); }",
        arg=[KPI, f"154{NNBSP}432"],
        timeout=120_000,
        polling=20,
    )
    reload = page.evaluate("Date.now()") - start
    marks = page.evaluate("window.marks")
    assert response.from_service_worker and "year=2018" in page.url
    context.close()
    return {
        "offline_year_ms": year,
        "offline_address_reload_ms": reload,
        "stand_in_drawn_ms": round(marks["drawn"]),
        "stand_in_shown_ms": round(marks["shown"]),
    }


def bare_load(browser, server: Server) -> float:
    context = _phone(browser)
    page = context.new_page()
    page.goto(server.url + "/")  # warm: the bundles are in the browser's cache, as for the dashboard
    page.wait_for_function(BARE_DRAWN, timeout=60_000)
    _throttled(context, page)
    start = page.evaluate("Date.now()")
    page.reload()
    page.wait_for_function(BARE_DRAWN, timeout=60_000, polling=20)
    elapsed = page.evaluate("Date.now()") - start
    context.close()
    return elapsed


def _alternate(browser, runs: int, measure) -> tuple[list, list]:
    """`runs` of the dashboard (`measure()`, on a fresh server of its own), each after the bare app's reload on
    its own fresh server: (the dashboard's, the bare app's)."""
    from benchmarks.bare_app import app as bare_app

    times, bare = [], []
    for _ in range(runs):
        bare_server = Server(bare_app.server)
        bare.append(bare_load(browser, bare_server))
        bare_server.stop()
        times.append(measure())
    return times, bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bytes-only", action="store_true", help="the bytes only (no timed loads)")
    parser.add_argument("--stand-in", action="store_true", help="only an address reached offline, reloaded")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "offline.json"))
    args = parser.parse_args()

    import shutil

    from playwright.sync_api import sync_playwright

    from dashboard.app import app

    address = "/?year=2019&lang=fr"
    results: dict = {"runs": args.runs}
    if args.stand_in:
        out = Path(args.out).with_name("offline-stand-in.json") if args.out == parser.get_default("out") else args.out
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            times, bare = _alternate(browser, args.runs, lambda: measure_stand_in(browser, Server(app.server), address))
            browser.close()
        _summarise(results, times, bare, out)
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        server = Server(app.server)
        results["bytes"] = measure_bytes(browser, server, address)
        server.stop()
        server = Server(app.server)  # a second visit to a warm server, counted on the wire
        warm = server.url + address
        context = _phone(browser, block_workers=True)
        context.new_page().goto(warm)
        context.close()
        results["bytes"].update(measure_wire(browser, server, address))
        server.stop()
        if args.bytes_only:
            browser.close()
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(results, indent=2))
            print(json.dumps(results, indent=2))
            return
        times, bare = _alternate(browser, args.runs, lambda: measure_times(browser, Server(app.server), address))
        browser.close()
    _summarise(results, times, bare, args.out)


def _summarise(results: dict, times: list[dict], bare: list[float], out) -> None:
    """Medians of the runs, each with its ratio to the bare app's reload; written to `out` and printed."""
    results["bare_reload_ms"] = statistics.median(bare)
    results["each_run"] = times
    for key in times[0]:
        value = statistics.median(t[key] for t in times)
        results[key] = value
        results[key.replace("_ms", "_ratio_to_bare")] = round(value / results["bare_reload_ms"], 2)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
