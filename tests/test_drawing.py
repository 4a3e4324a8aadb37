"""Only what is near the screen is drawn at load: a chart below it holds its place and no figure until it is
scrolled near (assets/answers.js, drawAtLoad; views.common.graph), and nothing moves when it is drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import interactive

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# Layout shifts without recent input, summed from the first paint (as tests/test_field_layout.py counts them).
CLS_OBSERVER = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: "layout-shift", buffered: true});
"""
# Per chart: the traces plotly holds on its graph div (null before plotly has drawn anything there), the bars
# drawn, and the height of the chart's place.
CHARTS = """() => Object.fromEntries([...document.querySelectorAll(".card .dash-graph")].map((el) => {
  const gd = el.querySelector(".js-plotly-plot");
  return [el.id, {
    traces: gd && gd.data ? gd.data.length : null,
    bars: el.querySelectorAll(".bars .point").length,
    height: Math.round(el.parentElement.getBoundingClientRect().height),
  }];
}))"""
CHARTS_IDS = [ids.PEOPLE_BREAKDOWN, ids.PEOPLE_TREND, ids.BUDGET_YEARS, ids.BUDGET_PILLARS]


def loaded(open_page, viewport: dict):
    page, watch = open_page("?year=2019", init_script=CLS_OBSERVER, viewport=viewport)
    interactive(page)
    page.wait_for_load_state("networkidle")
    return page, watch


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_draw001_offscreen_chart_not_drawn_at_load(open_page, viewport):
    """Every chart is below the first screen on a phone and a laptop: none holds a trace or a bar at load,
    each keeps its place's height (a chart's own), and the page has not moved."""
    page, watch = loaded(open_page, viewport)
    charts = page.evaluate(CHARTS)
    assert sorted(charts) == sorted(CHARTS_IDS)
    for chart_id, chart in charts.items():
        assert chart["traces"] in (0, None) and chart["bars"] == 0, (chart_id, chart)
        assert chart["height"] >= 300, (chart_id, chart)
    assert page.evaluate("window.__shift") <= 0.02
    watch.assert_clean()


def test_draw002_chart_drawn_when_scrolled_near_without_a_shift(open_page):
    """Scrolled to on a phone, the people chart is drawn in its place; the budget charts, still screens below,
    are not; nothing moved."""
    page, watch = loaded(open_page, PHONE)
    before = page.evaluate(CHARTS)
    shift = page.evaluate("window.__shift")
    page.evaluate(f"document.getElementById('{ids.PEOPLE_BREAKDOWN}').scrollIntoView({{block: 'start'}})")
    expect(page.locator(f"#{ids.PEOPLE_BREAKDOWN} .bars .point").first).to_be_attached()
    after = page.evaluate(CHARTS)
    assert after[ids.PEOPLE_BREAKDOWN]["bars"] > 0
    assert after[ids.BUDGET_PILLARS]["traces"] in (0, None), after
    assert {k: c["height"] for k, c in after.items()} == {k: c["height"] for k, c in before.items()}
    assert page.evaluate("window.__shift") == shift
    watch.assert_clean()


def test_draw003_draw_all_draws_every_chart_at_once(open_page):
    """What printing and the tests that read every chart call: every chart holds its figure at once."""
    page, watch = loaded(open_page, PHONE)
    charts = page.evaluate("() => { window.dashboard.answers.drawAll(); return (" + CHARTS + ")(); }")
    assert all(chart["traces"] for chart in charts.values()), charts
    watch.assert_clean()
