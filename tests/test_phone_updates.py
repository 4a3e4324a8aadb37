"""On a phone (390x844), a year change, a group toggle and a language switch each update every view, in
both languages: every text, link and chart a view fills shows the new selection's content (the same content
`tests/test_views.py` checks by name), compared with what the server computes for the page's address."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import orjson
import pytest

from dashboard import ids, render
from dashboard.selection import from_query
from tests.browser_support import PageWatch
from tests.test_views import text

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE = {"width": 390, "height": 844}
OTHER = {"en": "fr", "fr": "en"}
LANG_LABEL = {"en": "English", "fr": "Français"}

# What the page shows for each filled property: text (no spaces: the DOM joins cells without them), link
# address, and each chart's traces (x, y, categories) and title.
SHOWN = """(ids) => Object.fromEntries(ids.map((id) => {
  const el = document.getElementById(id);
  if (!el) return [id, null];
  const gd = el.classList.contains("js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
  return [id, {
    text: el.textContent.replace(/\\s+/g, ""),
    href: el.getAttribute("href"),
    traces: gd && gd.data ? gd.data.map((t) => [t.x ?? null, t.y ?? null, t.customdata ?? null]) : null,
    title: gd && gd.layout && gd.layout.title ? (gd.layout.title.text ?? null) : null,
  }];
}))"""
# Charts off the screen are drawn as they scroll into view; the test reads them all, drawn at once as for print.
FOLLOWS = (
    "(want) => { window.dashboard.answers.drawAll(); const shown = (" + SHOWN + ")(Object.keys(want));"
    " return Object.entries(want).every(([id, props]) => shown[id] !== null"
    " && Object.entries(props).every(([k, v]) => JSON.stringify(shown[id][k]) === JSON.stringify(v))); }"
)


def expected(ds, query: str) -> dict[str, dict]:
    """Per component id, what the page must show for the address's selection."""
    sel, bad = from_query(ds, query)
    assert bad == [], bad
    out: dict[str, dict] = {}
    for (component, prop), value_text in render.texts(ds, sel).items():
        if component == ids.MAP_NAMES:
            continue  # a Leaflet layer (the regions' names), like the map's other layers
        value = orjson.loads(value_text)
        want = out.setdefault(component, {})
        if prop == "children":
            want["text"] = "".join(text(value).split())
        elif prop == "href":
            want["href"] = value
        elif prop == "figure":
            want["traces"] = [[t.get("x"), t.get("y"), t.get("customdata")] for t in value["data"]]
            title = value.get("layout", {}).get("title")
            want["title"] = title.get("text") if isinstance(title, dict) else title
    # The map's layers show their figures through Leaflet (checked in tests/test_browser.py); the map card's
    # texts and table are checked here.
    return {component: props for component, props in out.items() if props}


def differences(page, want: dict[str, dict]) -> dict:
    shown = page.evaluate("(ids) => { window.dashboard.answers.drawAll(); return (" + SHOWN + ")(ids); }", list(want))
    return {
        component: {key: (value, (shown[component] or {}).get(key)) for key, value in props.items()}
        for component, props in want.items()
        if shown[component] is None or any(shown[component][key] != value for key, value in props.items())
    }


def every_view_follows(page, ds) -> None:
    """Wait until every filled property shows the selection of the page's address; fail naming the rest."""
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')", timeout=30_000)
    want = expected(ds, urlsplit(page.url).query)
    assert len(want) > 40, want.keys()
    try:
        page.wait_for_function(FOLLOWS, arg=want, timeout=30_000, polling=100)
    except playwright_api.TimeoutError:
        raise AssertionError(f"views not following {page.url}: {differences(page, want)}") from None


def open_panel(page) -> None:
    """Open the phone's folded controls panel, unless it is open."""
    if page.locator("details.controls-fold[open]").count() == 0:
        page.locator("details.controls-fold > summary").click()
    expect(page.locator("details.controls-fold[open]")).to_have_count(1)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_phone001_year_group_language_each_update_every_view(server, browser, ds, lang):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = PageWatch(server.url)
    watch.attach(page)
    try:
        page.goto(f"{server.url}/?year=2019&lang={lang}")
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
        every_view_follows(page, ds)
        open_panel(page)
        page.locator(f"#{ids.YEAR} label", has_text="2018").click()
        expect(page).to_have_url(re.compile(r"year=2018"), timeout=30_000)
        every_view_follows(page, ds)

        open_panel(page)  # it folds itself after a choice on a phone
        page.locator(f"#{ids.GROUPS} .group-name").first.click()
        expect(page).to_have_url(re.compile(r"groups="), timeout=30_000)
        every_view_follows(page, ds)

        open_panel(page)
        page.locator(f"#{ids.LANG} label", has_text=LANG_LABEL[OTHER[lang]]).click()
        expect(page.locator("html")).to_have_attribute("lang", OTHER[lang], timeout=30_000)
        every_view_follows(page, ds)
        assert "year=2018" in page.url and "groups=" in page.url
        watch.assert_clean()
    finally:
        context.close()


def _held_every_year(page) -> None:
    """Wait until the page holds the answer of every year of its selection (fetched once idle)."""
    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=60_000)


def _to_server(requests: list, base: str, page) -> list[str]:
    """The requests the page sent to the server, but the browser's own check of the tab's icon (the page's
    `link rel=icon`, else /_favicon.ico) on an address change."""
    icons = set(page.eval_on_selector_all("link[rel~='icon']", "(links) => links.map((l) => l.href)"))
    return [
        f"{method} {url}"
        for method, url in requests
        if url.startswith(base) and "/_favicon.ico" not in url and url not in icons
    ]


def _phone_page_holding_every_year(server, browser, query: str):
    """A phone's page at 2019 (and `query`), interactive and holding every year's answer; the requests it sends
    are listed as (method, url)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = PageWatch(server.url)
    watch.attach(page)
    requests: list = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    page.goto(f"{server.url}/?year=2019&{query}")
    expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
    _held_every_year(page)
    return context, page, watch, requests


def test_phone002_year_change_after_the_idle_prefetch_sends_no_request(server, browser, ds):
    context, page, watch, requests = _phone_page_holding_every_year(server, browser, "lang=fr")
    try:
        before = len(requests)
        open_panel(page)
        page.locator(f"#{ids.YEAR} label", has_text="2016").click()
        expect(page).to_have_url(re.compile(r"year=2016"), timeout=30_000)
        every_view_follows(page, ds)
        assert _to_server(requests[before:], server.url, page) == []
        watch.assert_clean()
    finally:
        context.close()


def test_phone003_group_source_and_language_changes_cost_at_most_one_request_each(server, browser, ds):
    context, page, watch, requests = _phone_page_holding_every_year(server, browser, "lang=en")
    try:
        for choose, address in (
            (lambda: page.locator(f"#{ids.GROUPS} .group-name").first.click(), r"groups="),
            (lambda: page.locator(f"#{ids.SOURCE} label").nth(1).click(), r"source=statistics"),
            (lambda: page.locator(f"#{ids.LANG} label", has_text="Français").click(), r"lang=fr"),
        ):
            before = len(requests)
            open_panel(page)
            choose()
            expect(page).to_have_url(re.compile(address), timeout=30_000)
            every_view_follows(page, ds)
            sent = _to_server(requests[before:], server.url, page)
            # Its one answer, then (once idle) the other years of the new selection: the first request is the
            # choice's, and no callback is ever posted.
            assert sent and sent[0].startswith("GET ") and "/answers/" in sent[0], sent
            assert all(s.startswith("GET ") and "/answers/" in s for s in sent), [
                s for s in sent if "/answers/" not in s
            ]
            assert re.search(address.replace("=", "=[^&]*") if address == r"groups=" else address, sent[0])
            _held_every_year(page)
        watch.assert_clean()
    finally:
        context.close()


# An answer that says it is another's: each field changed, and the version.
WRONG = {
    "language": "(a) => { a.selection.lang = 'en'; return a; }",
    "operation": "(a) => { a.selection.op = 'BFA'; return a; }",
    "source": "(a) => { a.selection.source = 'statistics'; return a; }",
    "version": "(a) => { a.version = '0123456789ab'; a.key = a.key; return a; }",
    "address": "(a) => { a.key = a.key.replace('year=2017', 'year=2016'); return a; }",
}


@pytest.mark.parametrize("wrong", list(WRONG))
def test_phone004_an_answer_for_another_choice_is_never_applied(server, browser, wrong):
    """The answer to a year change, altered on its way (as a broken cache or proxy would) to say it is for
    another language, operation, source, data version or address: the page does not show it. (Service workers
    blocked: the route sees every request; the worker's copies are checked by the same rule in the page.)"""
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()

    def altered(route):
        response = route.fetch()
        body = page.evaluate(f"([text]) => JSON.stringify(({WRONG[wrong]})(JSON.parse(text)))", [response.text()])
        route.fulfill(response=response, body=body, headers={**response.headers, "cache-control": "no-store"})

    page.route(re.compile(r"/answers/.*year=2017"), altered)
    try:
        page.goto(f"{server.url}/?year=2018&lang=fr")
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
        if wrong == "version":
            # An answer of another version (here the idle fetch of 2017's): the page moves whole to the server's
            # data once, and says so; there, another such answer is refused like the others.
            expect(page.locator(f"#{ids.NOTICE}")).to_contain_text("mis à jour", timeout=60_000)
        page.evaluate("window.sameDocument = true")
        open_panel(page)
        page.locator(f"#{ids.YEAR} label", has_text="2017").click()
        page.wait_for_selector("html[data-refused*='year=2017']", state="attached", timeout=30_000)
        expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_checked()
        expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text("2018")
        assert "year=2017" not in page.url and page.evaluate("window.sameDocument") is True
    finally:
        context.close()


def test_phone005_a_chart_below_the_screen_is_drawn_as_it_scrolls_into_view(server, browser, ds):
    """After a year change on a phone, the pillar chart far below the screen keeps its place and its last drawing
    until it comes near the screen, then shows the new year; the page does not move (no layout shift)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = PageWatch(server.url)
    watch.attach(page)
    trend = page.locator(f"#{ids.BUDGET_PILLARS}")
    highlighted = "() => JSON.stringify(document.querySelector('#%s .js-plotly-plot').data.map((t) => [t.x, t.y]))"
    try:
        page.goto(f"{server.url}/?year=2019&lang=fr")
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
        _held_every_year(page)
        before = page.evaluate(highlighted % ids.BUDGET_PILLARS)
        box = trend.bounding_box()
        assert box["y"] > 2 * PHONE["height"], box  # far below the screen
        open_panel(page)
        page.locator(f"#{ids.YEAR} label", has_text="2016").click()
        expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text("2016", timeout=30_000)
        page.wait_for_function("() => document.documentElement.hasAttribute('data-years-kept')")
        assert page.evaluate(highlighted % ids.BUDGET_PILLARS) == before  # not drawn yet
        assert trend.bounding_box()["height"] == box["height"]
        trend.scroll_into_view_if_needed()
        page.wait_for_function(
            "([id, before]) => JSON.stringify(document.querySelector('#' + id + ' .js-plotly-plot').data"
            ".map((t) => [t.x, t.y])) !== before",
            arg=[ids.BUDGET_PILLARS, before],
            timeout=30_000,
        )
        want = expected(ds, "year=2016&lang=fr")[ids.BUDGET_PILLARS]
        shown = page.evaluate(SHOWN, [ids.BUDGET_PILLARS])[ids.BUDGET_PILLARS]
        assert shown["traces"] == want["traces"]
        watch.assert_clean()
    finally:
        context.close()


# Counts, from the tap on, how the choice reaches Dash: each run of the choice callback that sets something
# (its outputs are every view's properties) and each `set_props` (a separate update of Dash's store).
COUNT_UPDATES = """() => {
  const dc = window.dash_clientside;
  const seen = (window.__updates = {applied: [], setProps: []});
  const choose = dc.dashboard.choose;
  dc.dashboard.choose = function () {
    return Promise.resolve(choose.apply(this, arguments)).then((out) => {
      const set = out.filter((v) => v !== dc.no_update).length;
      if (set) seen.applied.push(set);
      return out;
    });
  };
  const setProps = dc.set_props;
  dc.set_props = function (id) {
    seen.setProps.push(id);
    return setProps.apply(this, arguments);
  };
}"""


# The frame's callback (what follows the language): how many properties each of its runs sets.
FRAME_UPDATES = """() => {
  const dc = window.dash_clientside;
  const seen = (window.__updates.frame = []);
  const frameTexts = dc.dashboard.frameTexts;
  dc.dashboard.frameTexts = function () {
    const out = frameTexts.apply(this, arguments);
    seen.push(out.filter((v) => v !== dc.no_update).length);
    return out;
  };
}"""


def test_phone006_a_year_change_reaches_the_page_as_one_update(server, browser, ds):
    """After the idle prefetch, a year change is one run of the choice callback that sets every view that
    changes (Dash applies a callback's outputs in one pass): no `set_props` per component, each of which is
    an update of Dash's store and a pass over every mounted component on a slow phone; and the runs that set
    nothing (Dash's Location reporting the new address) update nothing."""
    context, page, watch, _requests = _phone_page_holding_every_year(server, browser, "lang=en")
    try:
        open_panel(page)
        page.evaluate(COUNT_UPDATES)
        page.locator(f"#{ids.YEAR} label", has_text="2016").click()
        expect(page).to_have_url(re.compile(r"year=2016"), timeout=30_000)
        expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text("2016", timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')", timeout=30_000)
        updates = page.evaluate("window.__updates")
        # Read before the charts off the screen are drawn (`every_view_follows` draws them: each is its own update).
        assert updates["setProps"] == [], updates
        # One run sets the address, the selection and every view's changed properties (tens of them).
        assert len(updates["applied"]) == 1 and updates["applied"][0] > 15, updates
        every_view_follows(page, ds)
        watch.assert_clean()
    finally:
        context.close()


def test_phone007_a_language_switch_reaches_the_page_in_two_updates(server, browser, ds):
    """A language switch: the choice callback sets what the choice changes, the frame's callback (on the frame
    store, set on its own) what follows the language; nothing else is set component by component."""
    context, page, watch, _requests = _phone_page_holding_every_year(server, browser, "lang=en")
    try:
        open_panel(page)
        page.evaluate(COUNT_UPDATES)
        page.evaluate(FRAME_UPDATES)
        page.locator(f"#{ids.LANG} label", has_text="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=30_000)
        page.wait_for_function("() => window.__updates.frame.length === 1", timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')", timeout=30_000)
        updates = page.evaluate("window.__updates")
        assert updates["setProps"] == [ids.FRAME], updates
        assert len(updates["applied"]) == 1 and len(updates["frame"]) == 1 and updates["frame"][0] > 30, updates
        every_view_follows(page, ds)
        watch.assert_clean()
    finally:
        context.close()
