"""The page on a phone (390x844) and a laptop (1366x768), in English and French, as a field user gets it:
no sideways scroll, nothing fixed or sticky covering more than 15% of the screen, targets of at least
24x24 px (WCAG 2.2 target size), the map's panels beside or below the map, and no layout shift while loading.

Selectors are classes (.controls, .controls-fold, .kpis, .card, .map-wrap, .map-country, .map-details), not
ids, so the tests survive the layout's ids changing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import open_page

pytestmark = pytest.mark.browser

PHONE = (390, 844)
LAPTOP = (1366, 768)
SIZES = [PHONE, LAPTOP]
LANGS = ["en", "fr"]
CASES = [pytest.param(size, lang, id=f"{size[0]}-{lang}") for size in SIZES for lang in LANGS]

# Layout shifts without recent input, summed (an upper bound of the CLS session window), from the first paint.
CLS_OBSERVER = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: "layout-shift", buffered: true});
"""

FIXED_OR_STICKY = """() => [...document.querySelectorAll("body *")].flatMap((el) => {
  const position = getComputedStyle(el).position;
  if (position !== "fixed" && position !== "sticky") return [];
  const r = el.getBoundingClientRect();
  return r.height > 0 ? [[el.className || el.tagName, Math.round(r.height)]] : [];
})"""

# Every visible target in the page's own controls and cards. An input whose label is the target (the year
# pills hide their radio; a checkbox's label toggles it) counts through that label: WCAG's "equivalent"
# exception. Leaflet's panes, plotly's plots and AG Grid's grid are the libraries' own (their controls are
# checked apart: Leaflet's zoom buttons are 30 px on touch screens, plotly's mode-bar buttons 24 px).
SMALL_TARGETS = """() => {
  const own = (el) => !el.closest(".leaflet-pane, .leaflet-control-attribution, .js-plotly-plot, .ag-root-wrapper");
  const box = (el) => el.getBoundingClientRect();
  const shown = (el) => { const r = box(el); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && Number(s.opacity) > 0; };
  const big = (el) => { const r = box(el); return r.width >= 24 && r.height >= 24; };
  const name = (el) => `${el.tagName} "${(el.textContent || el.value || el.className || "").trim().slice(0, 40)}" ` +
    `${Math.round(box(el).width)}x${Math.round(box(el).height)}`;
  const out = [];
  const scope = "header, .controls, .controls-fold, main";
  for (const el of document.querySelectorAll(
      `:is(${scope}) :is(a[href], button, summary, label, input, select, [role=button])`)) {
    if (!own(el)) continue;
    if (el.tagName === "INPUT") {
      const labels = [...(el.labels || [])].filter(shown);
      if (labels.length ? labels.every(big) : shown(el) && big(el)) continue;
      if (!shown(el) && !labels.length) continue;
      out.push(name(el));
    } else if (el.tagName === "A" && el.closest("p, li, td")) {
      continue;  // a link inside a sentence: WCAG's inline exception
    } else if (shown(el) && !big(el)) {
      out.push(name(el));
    }
  }
  for (const el of document.querySelectorAll(".leaflet-control-zoom a, .leaflet-marker-icon")) {
    if (shown(el) && !big(el)) out.push(name(el));
  }
  // The charts' tools: plotly shows them on a tap (transparent until then), so they are measured as laid out.
  for (const el of document.querySelectorAll(".js-plotly-plot .modebar-btn")) {
    if (box(el).width > 0 && !big(el)) out.push(`${el.dataset.title} ${name(el)}`);
  }
  return out;
}"""


def drawn(page) -> None:
    """The interactive dashboard has drawn every view: key numbers, the map's offices, the charts' bars (the
    charts below the screen drawn at once, as for printing: the page draws them as they come near the screen)."""
    expect(page.locator(".kpis .kpi")).to_have_count(5, timeout=30_000)
    expect(page.locator(".leaflet-marker-icon.office-icon")).to_have_count(5, timeout=30_000)
    page.wait_for_function(
        "() => { window.dashboard.answers.drawAll(); return !!document.querySelector('.card .js-plotly-plot .bars .point'); }",
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def loaded(server, browser):
    """loaded((w, h), lang) -> a drawn page of that size and language, opened once per module."""
    pages = {}

    def get(size, lang):
        if (size, lang) not in pages:
            viewport = {"width": size[0], "height": size[1]}
            page, watch = open_page(browser, server.url, f"?year=2019&lang={lang}", CLS_OBSERVER, viewport=viewport)
            drawn(page)
            pages[size, lang] = (page, watch)
        return pages[size, lang]

    yield get
    for page, _ in pages.values():
        page.context.close()


@pytest.mark.parametrize(("size", "lang"), [*CASES, pytest.param((320, 640), "fr", id="320-fr")])
def test_field001_no_sideways_scroll(loaded, size, lang):
    page, watch = loaded(size, lang)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
    watch.assert_clean()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_field002_fixed_and_sticky_at_most_15_percent(loaded, size, lang):
    page, watch = loaded(size, lang)
    page.mouse.wheel(0, 1500)  # sticky elements show their height once the page has scrolled
    page.wait_for_function("() => scrollY > 0")
    limit = 0.15 * size[1]
    too_tall = [(name, h) for name, h in page.evaluate(FIXED_OR_STICKY) if h > limit]
    page.evaluate("() => scrollTo(0, 0)")
    assert too_tall == [], (limit, too_tall)
    watch.assert_clean()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_field003_targets_at_least_24px(loaded, size, lang):
    page, watch = loaded(size, lang)
    assert page.evaluate(SMALL_TARGETS) == []
    watch.assert_clean()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_field004_map_panels_never_cover_the_map(loaded, size, lang):
    page, watch = loaded(size, lang)
    expect(page.locator(".map-country")).not_to_be_empty()
    rects = page.evaluate(
        """() => Object.fromEntries([".map-wrap > :not(.map-country, .map-details)", ".map-country", ".map-details"].map(
             (s) => [s, document.querySelector(s).getBoundingClientRect().toJSON()]))"""
    )
    map_box = rects.pop(".map-wrap > :not(.map-country, .map-details)")
    for name, r in rects.items():
        if size == PHONE:  # below the map
            assert r["top"] >= map_box["bottom"] - 0.5, (name, r, map_box)
        else:  # beside it
            assert r["left"] >= map_box["right"] - 0.5, (name, r, map_box)
            assert r["top"] < map_box["bottom"] and r["bottom"] > map_box["top"], (name, r, map_box)
    watch.assert_clean()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_field005_no_layout_shift_while_loading(open_page, size, lang):
    """The first HTML is already in the address's language and laid out as drawn: nothing moves as the
    scripts take over."""
    page, watch = open_page(
        f"?year=2019&lang={lang}", init_script=CLS_OBSERVER, viewport={"width": size[0], "height": size[1]}
    )
    assert re.match(rf"<!DOCTYPE html>\s*<html[^>]*\slang=\"{lang}\"", watch.response.text())
    drawn(page)
    assert page.evaluate("window.__shift") <= 0.02, page.evaluate("window.__shift")
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_field006_phone_controls_fold_into_one_line(loaded, lang):
    page, watch = loaded(PHONE, lang)
    fold = page.locator("details.controls-fold")
    expect(fold).to_have_count(1)
    summary = fold.locator("summary.controls-summary")
    expect(fold).not_to_have_attribute("open", "")
    expect(summary).to_contain_text("2019")
    assert summary.bounding_box()["height"] <= 0.15 * PHONE[1] / 2
    expect(fold.locator(".controls")).to_be_hidden()
    summary.click()
    expect(fold).to_have_attribute("open", "")
    expect(fold.locator(".year-row label").first).to_be_visible()
    summary.click()
    expect(fold.locator(".controls")).to_be_hidden()
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_field007_laptop_controls_shown_without_the_line(loaded, lang):
    page, watch = loaded(LAPTOP, lang)
    expect(page.locator("details.controls-fold")).to_have_count(1)
    expect(page.locator("summary.controls-summary")).to_be_hidden()
    expect(page.locator(".controls-fold .year-row label").first).to_be_visible()
    watch.assert_clean()
