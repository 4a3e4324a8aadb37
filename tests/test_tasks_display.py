"""The tasks people do, in real headless Chromium: titles and sources whole beside the chart toolbar and on paper,
the map's largest figure easy to tap with one popup on screen, the region table by figure, the workbook for
reading, French typography in what plotly shows, the implementation rate on the budget chart. Each test ends
checking the console and that no request left for another host."""

from __future__ import annotations

import io
import re
from itertools import pairwise

import pytest
from openpyxl import load_workbook

from dashboard import ids
from tests.browser_support import PageWatch, draw_every_chart

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)

GRAPHS = (ids.PEOPLE_BREAKDOWN, ids.PEOPLE_TREND, ids.BUDGET_YEARS, ids.BUDGET_PILLARS)
# A4 width minus the @page margins of print.css, in CSS pixels, and the zoom print.css gives charts.
CONTENT_PX = 186 / 25.4 * 96
CHART_ZOOM = 0.85
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def visit(server, browser):
    """visit('?lang=fr', width=390, phone=True) -> (page, watch), every chart drawn."""
    contexts = []

    def open_page(query: str = "", width: int = 1280, phone: bool = False):
        context = browser.new_context(
            locale="en-GB",
            viewport={"width": width, "height": 900},
            has_touch=phone,
            is_mobile=phone,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(server.url)
        watch.attach(page)
        page.goto(server.url + "/" + query)
        expect(page.locator(f"#{ids.KPIS} .kpi")).to_have_count(5)
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0)
        draw_every_chart(page)
        return page, watch

    yield open_page
    for c in contexts:
        c.close()


BOXES = """(id) => {
  const el = document.getElementById(id);
  const box = (e) => { if (!e) return null; const b = e.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  return {
    svg: box(el.querySelector('svg.main-svg')),
    title: box(el.querySelector('.gtitle')),
    modebar: box(el.querySelector('.modebar')),
    plot: box(el.querySelector('.draglayer .nsewdrag')),
    ticks: Array.from(el.querySelectorAll('.yaxislayer-above .ytick text')).map(box),
    source: box(el.querySelector('.infolayer g.annotation[data-index="0"]')),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


@pytest.mark.parametrize(("width", "lang"), [(320, "fr"), (390, "en"), (1280, "fr"), (1920, "en")])
def test_task105_titles_clear_of_the_toolbar_and_sources_whole(visit, width, lang):
    """A phone or desktop user points at a chart: its toolbar appears without covering the title or the plot, and
    the title and the source note inside the figure are whole (nothing beyond the figure's edges)."""
    page, watch = visit(f"?year=2019&lang={lang}", width=width)
    for graph in GRAPHS:
        page.locator(f"#{graph}").hover()
        expect(page.locator(f"#{graph} .modebar").first).to_be_visible()
        boxes = page.evaluate(BOXES, graph)
        assert not _overlap(boxes["title"], boxes["modebar"]), (graph, boxes)
        assert not _overlap(boxes["plot"], boxes["modebar"]), (graph, boxes)  # no bar or label under it
        ticks = boxes["ticks"]
        assert not [(a, b) for a, b in pairwise(ticks) if _overlap(a, b)], (graph, ticks)  # labels apart
        assert _inside(boxes["title"], boxes["svg"]), (graph, boxes)
        assert _inside(boxes["source"], boxes["svg"]), (graph, boxes)
    watch.assert_clean()


def test_task105_print_charts_across_the_page_tables_whole(visit):
    """A budget officer prints from a laptop: every chart takes the page's width, every table stays whole where
    it fits, and headings stay with what follows them."""
    page, watch = visit("?year=2021")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    for graph in GRAPHS:
        assert page.locator(f"#{graph}").bounding_box()["width"] == pytest.approx(CONTENT_PX, abs=3), graph
    tables = page.locator("table")
    assert tables.count() >= 5
    assert set(tables.evaluate_all("ts => ts.map(t => getComputedStyle(t).breakInside)")) == {"avoid"}
    headings = page.locator(".card h2, .card h3, dl.glossary dt")
    assert set(headings.evaluate_all("hs => hs.map(h => getComputedStyle(h).breakAfter)")) == {"avoid"}
    watch.assert_clean()


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "Refugees and asylum-seekers: 15,234"), ("fr", f"Réfugiés et demandeurs d’asile{NNBSP}: 15{NNBSP}234")],
)
def test_task107_the_largest_figure_is_easy_to_tap_with_one_popup_on_screen(visit, lang, line):
    """A protection officer on a phone looks for the region with most refugees: Ménaka's point is the largest,
    clear of its office icon, and one tap opens one popup, whole on screen."""
    page, watch = visit(f"?year=2019&lang={lang}", width=390, phone=True)
    points = page.locator(f"#{ids.MAP} path.map-point")
    expect(points).to_have_count(2)
    bamako, menaka = points.nth(0).bounding_box(), points.nth(1).bounding_box()
    assert menaka["width"] >= 40 and menaka["width"] > bamako["width"] >= 24
    offices = page.locator(".leaflet-marker-icon.office-icon")
    for i in range(offices.count()):
        icon = offices.nth(i).bounding_box()
        for point in (menaka, bamako):
            box = {"left": point["x"], "top": point["y"], "right": point["x"] + point["width"]}
            box["bottom"] = point["y"] + point["height"]
            office = {"left": icon["x"], "top": icon["y"], "right": icon["x"] + icon["width"]}
            office["bottom"] = icon["y"] + icon["height"]
            assert not _overlap(box, office)
    points.nth(1).tap()
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    expect(page.locator(".leaflet-popup-content")).to_contain_text(line)
    expect(page.locator(".leaflet-tooltip:not(.region-name)")).to_have_count(0)  # the names are always shown
    watch.assert_clean()


def test_task107_a_tapped_region_at_the_edge_gets_one_popup_on_screen(visit):
    """Tapping a region at the map's left edge on a phone: one popup, no tooltip, the popup whole in the map."""
    page, watch = visit(width=390, phone=True)
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    page.locator(f"#{ids.MAP_LEAFLET}").scroll_into_view_if_needed()
    edge = page.evaluate(
        """() => { const m = document.getElementById('map-leaflet').getBoundingClientRect();
                  for (let x = m.left + 6; x < m.left + 60; x += 4) { for (let y = m.top + 20; y < m.bottom - 20; y += 5) {
                    const e = document.elementFromPoint(x, y);
                    if (e && e.classList.contains('map-region')) return [x, y]; } } }"""
    )
    page.touchscreen.tap(*edge)
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    expect(page.locator(".leaflet-tooltip:not(.region-name)")).to_have_count(0)  # the names are always shown
    popup = page.locator(".leaflet-popup-content-wrapper")
    expect(popup).to_be_visible()
    page.wait_for_function(
        """() => { const p = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
                  const m = document.getElementById('map-leaflet').getBoundingClientRect();
                  return p.left >= m.left && p.right <= m.right && p.top >= m.top; }"""
    )
    watch.assert_clean()


@pytest.mark.parametrize(
    ("lang", "choice", "first_by_name"), [("en", "Region A–Z", "Bamako"), ("fr", "Région A–Z", "Bamako")]
)
def test_task107_region_table_sorts_by_figure(visit, lang, choice, first_by_name):
    """The region with most refugees heads the table; the A–Z order is one choice away."""
    page, watch = visit(f"?year=2019&lang={lang}")
    page.locator(f"#{ids.summary_of(ids.MAP_TABLE)}").click()
    first_row = page.locator(f"#{ids.MAP_TABLE} table:visible tbody tr").first
    expect(first_row).to_contain_text("Ménaka")
    expect(first_row).to_contain_text("15,234" if lang == "en" else f"15{NNBSP}234")
    page.get_by_label(choice).check()
    expect(first_row).to_contain_text(first_by_name)
    expect(page.locator(f"#{ids.MAP_TABLE} table:visible")).to_have_count(1)
    watch.assert_clean()


@pytest.mark.parametrize(
    ("lang", "title", "header", "empty"),
    [
        ("en", "Budget — Mali · Year: 2019", "Implementation rate (%)", "No contributions listed for 2019."),
        ("fr", f"Budget — Mali · Année{NNBSP}: 2019", "Taux d’exécution (%)", "Aucune contribution listée pour 2019."),
    ],
)
def test_task108_the_workbook_reads_in_words(visit, lang, title, header, empty):
    """A budget officer downloads the workbook: each sheet names its view and selection, headers are words,
    money, rates and dates are formatted, and the empty Contributions sheet says why."""
    page, watch = visit(f"?year=2019&lang={lang}")
    with page.expect_download() as info:
        page.locator(f"#{ids.DOWNLOAD_WORKBOOK}").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    budget = book["Budget"]
    assert budget["A1"].value == title
    rows = list(budget.iter_rows())
    head = next(i for i, row in enumerate(rows) if row[-1].value == header)
    rate = next(r for r in rows[head + 1 :] if r[-1].value is not None and r[2].value == 2019)
    assert rate[-1].number_format == "0.0%" and rate[-1].value == pytest.approx(0.756, abs=5e-4)
    assert '"USD"' in rows[head + 1][7].number_format
    contributions = [[c.value for c in row] for row in book["Contributions"].iter_rows()]
    assert contributions[-1][0].startswith(empty)
    watch.assert_clean()


def _hover_bar(page, graph: str, trace: int, point: int) -> None:
    bar = page.locator(f"#{graph} .trace.bars").nth(trace).locator(".point").nth(point)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize(
    ("lang", "expenditure", "rate"),
    [
        ("en", "Expenditure 2019: $13.1M", "Implementation rate: 75.6%"),
        ("fr", f"Dépenses 2019{NNBSP}: 13,1{NBSP}M{NBSP}$US", f"Taux d’exécution{NNBSP}: 75,6{NBSP}%"),
    ],
)
def test_task109_hover_labels_follow_the_language_typography(visit, lang, expenditure, rate):
    """Hovering the 2019 expenditure bar: French puts a narrow no-break space before each colon."""
    page, watch = visit(f"?year=2019&lang={lang}")
    _hover_bar(page, ids.BUDGET_YEARS, 1, 3)
    hover = page.locator(f"#{ids.BUDGET_YEARS} .hoverlayer .hovertext")
    expect(hover).to_contain_text(expenditure)
    expect(hover).to_contain_text(rate)
    watch.assert_clean()


def test_task109_mid_2024_source_dated_in_french(visit):
    """The French mid-2024 page names its source's date in French, nowhere as 2024-06-30."""
    page, watch = visit("?year=2024&lang=fr")
    expect(page.locator(f"#{ids.source_of(ids.PEOPLE)}")).to_contain_text("chiffres au 30 juin 2024")
    expect(page.locator(f"#{ids.PEOPLE_BREAKDOWN} .infolayer")).to_contain_text("30 juin 2024")
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", page.locator("main, #page, body").first.inner_text())
    watch.assert_clean()


@pytest.mark.parametrize(
    ("lang", "labels"), [("en", ["27%", "33%", "62%", "76%"]), ("fr", ["27 %", "33 %", "62 %", "76 %"])]
)
def test_task110_the_rate_of_each_year_on_the_budget_chart(visit, lang, labels):
    """The budget chart shows each year's implementation rate (2016–2019) above its bars, not only the table."""
    page, watch = visit(f"?year=2019&lang={lang}")
    shown = page.locator(f"#{ids.BUDGET_YEARS} .annotation-text").all_text_contents()
    assert [text.replace(NBSP, " ") for text in shown if "%" in text] == labels
    watch.assert_clean()
