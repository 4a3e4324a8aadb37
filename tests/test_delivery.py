"""No script holds back the first paint: every script deferred in Dash's order, no bundle the page never uses,
the screen CSS inside the HTML, and the page still runs (a browser loads it without errors)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from dashboard import delivery, ids
from tests.tree import components

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>")
UNUSED = ("dash_table/", "polyfill@")


@pytest.fixture(scope="module")
def app():
    from dashboard.app import app

    return app


@pytest.fixture(scope="module")
def html(app) -> str:
    response = app.server.test_client().get("/?year=2018&lang=fr")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_load001_every_script_is_deferred_or_inline(html):
    external = [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" in attrs]
    assert len(external) >= 10, external
    blocking = [attrs for attrs in external if not re.search(r"\b(defer|async)\b", attrs)]
    assert blocking == []


def test_load002_deferred_scripts_keep_dash_order(html):
    sources = re.findall(r'<script defer src="([^"]+)"', html)
    position = {name: next(i for i, s in enumerate(sources) if name in s) for name in ("react@", "react-dom@")}
    position["plotly"] = next(i for i, s in enumerate(sources) if "plotly" in s)
    position["renderer"] = next(i for i, s in enumerate(sources) if "dash_renderer" in s)
    position["dcc"] = next(i for i, s in enumerate(sources) if "dash_core_components." in s)
    assert position["react@"] < position["react-dom@"] < position["plotly"] < position["renderer"] < position["dcc"]
    # Dash's renderer starts after every deferred script has run, not while the parser reaches it.
    assert f">{delivery.RENDERER}</script>" in html
    assert "new DashRenderer()" not in html.replace(delivery.RENDERER, "")


def test_load003_no_bundle_the_page_never_uses(app, html):
    sources = re.findall(r'src="([^"]+)"', html)
    assert [s for s in sources if any(u in s for u in UNUSED)] == []
    # The page has no DataTable: the table bundle would be needed by nothing.
    assert "dash_table" not in {node.to_plotly_json()["namespace"] for node in components(app.layout())}
    # Babel's generator runtime, which Dash's renderer and bundles call, comes on its own.
    assert any("regenerator-runtime" in s for s in sources)


def test_load004_screen_css_inside_the_html_print_css_for_print_only(html):
    head = html[: html.index("</head>")]
    assert re.findall(r'<link rel="stylesheet"[^>]*>', head) == [
        next(m for m in re.findall(r"<link[^>]*>", head) if "print.css" in m)
    ]
    assert 'media="print"' in head
    assert ".kpis" in head and "#first-view" in head  # dashboard.css and ssr.css, inline
    assert "<style>" in head


def test_load005_config_carries_no_second_layout(html):
    config = html[html.index('id="_dash-config"') :]
    config = config[: config.index("</script>")]
    assert "validation_layout" not in config
    assert len(config) < 20_000


def test_load006_inline_scripts_allowed_by_the_policy(app, html):
    response = app.server.test_client().get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    inline = re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>(.+?)</script>", html, re.S)
    assert any("new DashRenderer" in body for body in inline), inline  # the clientside functions and the start
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, body[:80]


@pytest.mark.browser
def test_load007_deferred_page_runs_and_fetches_nothing_unused(server, browser):
    from playwright.sync_api import expect

    from tests.browser_support import PageWatch, scroll_to

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    watch = PageWatch(server.url)
    watch.attach(page)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(f"{server.url}/?year=2018&lang=fr")
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
        scroll_to(page, ids.BUDGET_YEARS)  # drawn as it comes near the screen
        expect(page.locator(f"#{ids.BUDGET_YEARS} .point")).to_have_count(12, timeout=30_000)
        page.locator("details.controls-fold summary").click()
        page.locator(f"#{ids.YEAR} label", has_text="2017").click()
        expect(page).to_have_url(re.compile(r"year=2017"), timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert [u for u in requested if any(x in u for x in UNUSED)] == []
        watch.assert_clean()
    finally:
        context.close()
