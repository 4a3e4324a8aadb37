"""Live server and headless Chromium (Debian's /usr/bin/chromium) for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlparse

from benchmarks.harness import CHROMIUM_ARGS  # noqa: F401 - one list of flags for tests and benchmarks
from dashboard import ids


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is not installed: run `bash scripts/test`, which installs it")
    return path


class AppProcess:
    """`python -m dashboard run` on another data directory, in its own process (the app reads its data once).

    `port` restarts a server where a stopped one was: a browser's service worker belongs to one origin."""

    def __init__(self, root, data_dir, port: int | None = None):
        if port is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_dir))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "run", "--port", str(self.port)],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the dashboard did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class LiveServer:
    """The dashboard's Flask server on a free loopback port, in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=10)


@dataclass
class PageWatch:
    """What a page did: console errors, uncaught exceptions and requests to hosts other than the app's."""

    base: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    # The answer to the page's own address (its headers say what the server sent).
    response: object = None

    def attach(self, page) -> None:
        host = urlparse(self.base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def check(request):
            url = urlparse(request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
                self.foreign.append(request.url)

        page.on("request", check)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


def open_page(browser, base: str, query: str | None = "", init_script: str | None = None, **options):
    """The app at `base` + "/" + `query` in a new browser context: (page, watch), the watch listening from
    before the first request (query None: the page is left blank, for the caller to listen to it first and
    go). `options` are the context's (a 1280x900 viewport unless given); `init_script` runs before the
    page's own scripts. The caller closes `page.context`."""
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | options))
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    watch = PageWatch(base)
    watch.attach(page)
    if query is not None:
        watch.response = page.goto(base + "/" + query)
    return page, watch


# A chart holds its own figure once it has drawn its source note (every figure has one; the empty frame a graph
# holds until then has none).
CHART_DRAWN = "(id) => !!document.getElementById(id).querySelector('.infolayer g.annotation')"


def draw_every_chart(page) -> None:
    """Every chart drawn, each scrolled to as a reader would (the page draws a chart only as it comes near the
    screen, assets/answers.js), then back to the top."""
    for chart in page.evaluate("() => [...document.querySelectorAll('.card .dash-graph')].map((g) => g.id)"):
        scroll_to(page, chart)
        page.wait_for_function(CHART_DRAWN, arg=chart, timeout=30_000)
    page.evaluate("() => scrollTo(0, 0)")


def scroll_to(page, element_id: str) -> None:
    """Scroll an element to the middle of the screen, in one step in the page (a chart's element is replaced as
    dcc.Graph loads, which a locator's scroll can meet half-way); a chart is drawn as it comes near the screen."""
    page.evaluate("(id) => document.getElementById(id).scrollIntoView({block: 'center'})", element_id)


def interactive(page) -> None:
    """Wait until the interactive page has taken over: the key numbers drawn and the server-rendered first
    view gone."""
    from playwright.sync_api import expect

    expect(page.locator(f"#{ids.KPIS} .kpi")).to_have_count(5)
    expect(page.locator(f"#{ids.SSR}")).to_have_count(0)
