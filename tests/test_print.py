"""Printing and sharing (assets/print.css, print.js, Dash's clipboard) in headless Chromium: print media, A4 PDFs, the
before/after print handlers, the copy-link button. Page limits are what the shipped data measured, glossary included:
4-5 pages for every year (2014-2025) in English and French, 6 for 2021 in French (its 20 contributions); the statistics
series as many (5 by default, 6 for 2021 in French)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import glossary, ids
from tests.browser_support import draw_every_chart, interactive

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)

VIEWS = (ids.MAP, ids.PEOPLE, ids.BUDGET, ids.KEYFIG, ids.FEED)
TABLES = (ids.MAP_TABLE, ids.PEOPLE_TABLE, ids.BUDGET_TABLE)
# A4 width minus the @page margins of print.css, and the map's column, in CSS pixels (96 per inch); the zoom
# print.css gives charts.
CONTENT_PX = 186 / 25.4 * 96
MAP_PX = 116 / 25.4 * 96
CHART_ZOOM = 0.85


@pytest.fixture
def visit(open_page):
    """visit('?year=2021', width=1280) -> (page, watch), every chart drawn."""

    def visit_(query: str = "", width: int = 1280):
        page, watch = open_page(
            query,
            locale="en-GB",
            viewport={"width": width, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
        )
        interactive(page)
        draw_every_chart(page)
        return page, watch

    return visit_


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: with pypdf when installed, else the page objects Chromium writes uncompressed."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page\b", pdf))
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_print001_every_view_and_its_table_shown_controls_hidden(visit):
    page, watch = visit("?year=2021")  # a year with contributions: the feed has its table
    expect(page.locator(f"#{ids.PEOPLE_TABLE} table").first).to_be_hidden()  # closed on screen
    page.emulate_media(media="print")
    for view in VIEWS:
        expect(page.locator(f"#{view}")).to_be_visible()
    for table in TABLES:
        expect(page.locator(f"#{table} table").first).to_be_visible()
        expect(page.locator(f"#{table}-summary")).to_be_hidden()
    expect(page.locator(f"#{ids.FEED_TABLE} table.feed")).to_be_visible()
    expect(page.locator(f"#{ids.GLOSSARY} dl.glossary")).to_be_visible()
    for control in ("a.download", f"#{ids.COPY_LINK}", ".page-toolbar", f"#{ids.CONTROLS_SUMMARY}"):
        expect(page.locator(control).first).to_be_hidden()
    expect(page.locator(".leaflet-control-zoom")).to_be_hidden()
    expect(page.locator(f"#{ids.PEOPLE_BREAKDOWN} .modebar-container")).to_be_hidden()
    expect(page.locator(f"#{ids.LANG}")).to_be_hidden()
    watch.assert_clean()


@pytest.mark.parametrize(
    ("query", "summary", "lines"),
    [
        ("?year=2019", "Year: 2019 · Population groups: all · Population figures: Operation page", 1),
        (
            "?year=2018&lang=fr&groups=refugees,idps&source=statistics",
            "Année\u202f: 2018 · Groupes de population\u202f: Réfugiés, Personnes déplacées internes · "
            "Chiffres de population\u202f: Série statistique du HCR",
            2,
        ),
        ("?year=2019&groups=none", "Year: 2019 · Population groups: none · Population figures: Operation page", 1),
    ],
)
def test_print002_selection_summary_in_one_line(visit, query, summary, lines):
    """One line on paper for every group or none; a list of groups may take a second one. At the paper's width
    the controls are folded on screen: the print stylesheet alone opens them (emulated print fires no beforeprint)."""
    page, watch = visit(query)
    page.set_viewport_size({"width": round(CONTENT_PX), "height": 900})  # the width of the paper's text
    controls = page.locator(".controls")
    expect(controls).to_be_hidden()
    page.emulate_media(media="print")
    expect(controls).to_be_visible()
    expect(page.locator(f"#{ids.CONTROLS_SUMMARY}")).to_be_hidden()
    expect(controls.locator(".form-check").first).to_be_hidden()
    # The accessibility tree holds the text as rendered, with the CSS-generated separators and words.
    # (it shows the narrow no-break space as a space; the CSS content itself is checked below).
    shown = re.findall(r'- group "[^"]*": "([^"]*)"', controls.aria_snapshot())
    assert " ".join(shown) == summary.replace("\u202f", " ")
    colon = controls.locator("legend").last.evaluate("e => getComputedStyle(e, '::after').content")
    assert colon == ('"\u202f: "' if "\u202f" in summary else '": "')
    line = controls.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    padding = controls.evaluate("e => parseFloat(getComputedStyle(e).paddingBottom)")
    assert (lines - 0.5) * line < controls.bounding_box()["height"] - padding < (lines + 0.5) * line
    watch.assert_clean()


@pytest.mark.parametrize(("query", "most"), [("", 5), ("?year=2021&lang=fr", 6)])
def test_print003_a4_pdf_within_the_measured_pages(visit, query, most):
    """page.pdf() prints as the browser does: print media, beforeprint and afterprint around it."""
    page, watch = visit(query)
    pdf = page.pdf(format="A4")
    assert 3 <= pdf_pages(pdf) <= most
    watch.assert_clean()


def test_print004_map_and_charts_fit_the_page_and_come_back(visit):
    """On a screen wider than the page the map is cropped to its print column around the country, charts drawn
    wider than the page are redrawn at its width, the <details> open for print; afterprint puts everything back."""
    page, watch = visit("?year=2021", width=860)  # one column of cards, the map wider than its print column
    wrap, leaflet = page.locator(".map-wrap"), page.locator(f"#{ids.MAP_LEAFLET}")
    country = page.locator(f"#{ids.MAP_LEAFLET} .leaflet-overlay-pane svg > g")
    # No card of dashboard.css is that wide today: a chart drawn at 1000 px stands for a wider layout.
    chart = page.locator(f"#{ids.PEOPLE_BREAKDOWN}")
    chart.evaluate("e => { e.style.width = '1000px'; }")
    expect(chart.locator("svg.main-svg").first).to_have_attribute("width", "1000")
    on_screen = leaflet.bounding_box()["width"]
    assert on_screen > MAP_PX and 1000 * CHART_ZOOM > CONTENT_PX
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert wrap.bounding_box()["width"] == pytest.approx(MAP_PX, abs=1)
    assert leaflet.bounding_box()["width"] == pytest.approx(on_screen, abs=1)  # same map, cropped
    shown, shapes = wrap.bounding_box(), country.bounding_box()
    assert shown["x"] < shapes["x"] and shapes["x"] + shapes["width"] < shown["x"] + shown["width"]
    middle = shapes["x"] + shapes["width"] / 2 - shown["x"]
    assert middle == pytest.approx(MAP_PX / 2, abs=2)  # the country in the middle of its column
    # Redrawn at the page's width before print.css's zoom, which applies on paper.
    assert chart.bounding_box()["width"] == pytest.approx(CONTENT_PX / CHART_ZOOM, abs=2)
    assert page.locator("details.table-alt:not([open]), details.controls-fold:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert wrap.evaluate("e => e.style.width + e.style.overflow") == ""
    assert leaflet.evaluate("e => e.style.width + e.style.height + e.style.marginLeft") == ""
    assert chart.evaluate("e => e.style.zoom + e.style.width") == "1000px"
    expect(chart.locator("svg.main-svg").first).to_have_attribute("width", "1000")
    expect(page.locator(f"#{ids.PEOPLE_TABLE} table").first).to_be_hidden()
    watch.assert_clean()


def test_print006_a_phone_map_keeps_its_size_centred_in_its_column(visit):
    """A map drawn on a phone is narrower than its print column: it keeps its drawn size (Leaflet would move a
    resized map while printing) and sits in the middle of the column."""
    page, watch = visit(width=360)
    wrap, leaflet = page.locator(".map-wrap"), page.locator(f"#{ids.MAP_LEAFLET}")
    drawn = leaflet.bounding_box()
    assert drawn["width"] < MAP_PX
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.set_viewport_size({"width": round(CONTENT_PX), "height": 900})  # laid out as on paper: a taller map box
    page.emulate_media(media="print")
    shown, column = leaflet.bounding_box(), wrap.bounding_box()
    assert (shown["width"], shown["height"]) == pytest.approx((drawn["width"], drawn["height"]), abs=1)
    assert column["width"] == pytest.approx(MAP_PX, abs=1)
    assert shown["x"] - column["x"] == pytest.approx((MAP_PX - drawn["width"]) / 2, abs=1)
    watch.assert_clean()


def test_print005_charts_use_the_whole_page_width(visit):
    """beforeprint redraws each chart at the width that fills the page at print.css's zoom, and pins its box to it
    (a box that followed the paper would make plotly redraw the chart while the page is printed); afterprint
    draws it back at its box's width."""
    page, watch = visit("?year=2019")
    chart = page.locator(f"#{ids.BUDGET_PILLARS}")
    drawn = float(chart.locator("svg.main-svg").first.get_attribute("width"))
    assert drawn * CHART_ZOOM < 0.8 * CONTENT_PX  # half the screen's width: 2 columns of cards
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert chart.bounding_box()["width"] == pytest.approx(CONTENT_PX, abs=2)
    assert float(chart.locator("svg.main-svg").first.get_attribute("width")) == pytest.approx(
        CONTENT_PX / CHART_ZOOM, abs=2
    )
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(chart.locator("svg.main-svg").first).to_have_attribute("width", str(round(drawn)))
    watch.assert_clean()


def test_share001_copy_link_copies_the_current_address(visit):
    """Dash's clipboard copies the address as it is when pressed (after a choice moved it), and says so in the
    page's language."""
    page, watch = visit("?year=2021&lang=fr")
    button = page.locator(f"#{ids.COPY_LINK} button")
    expect(button).to_have_text(glossary.share_texts("fr")["label"])
    page.locator(f"#{ids.YEAR} label", has_text="2019").click()
    expect(page).to_have_url(re.compile(r"year=2019"))
    button.click()
    expect(page.locator(f"#{ids.LINK_COPIED}")).to_have_text(glossary.share_texts("fr")["copied"])
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "year=2019" in copied and "lang=fr" in copied
    # The label comes back, and follows the language.
    expect(page.locator(f"#{ids.COPY_LINK_LABEL}")).to_have_text(glossary.share_texts("fr")["label"])
    page.locator(f"#{ids.LANG} label", has_text="English").click()
    expect(page.locator(f"#{ids.COPY_LINK_LABEL}")).to_have_text(glossary.share_texts("en")["label"])
    page.locator(f"#{ids.COPY_LINK_LABEL}").click()
    expect(page.locator(f"#{ids.LINK_COPIED}")).to_have_text(glossary.share_texts("en")["copied"])
    assert "lang=en" in page.evaluate("navigator.clipboard.readText()")
    watch.assert_clean()


def test_share002_copy_link_from_the_keyboard(visit):
    """The copy-link button is a real button: Enter copies, the message is in a live region, and the keyboard
    stays where it was."""
    page, watch = visit("?year=2018")
    page.locator(f"#{ids.COPY_LINK_LABEL}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"[aria-live=polite] #{ids.LINK_COPIED}")).to_have_text(glossary.share_texts("en")["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    # Dash swaps the button for the message's: the keyboard's place stays there, Tab goes on from it.
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement.closest('#{ids.COPY_LINK}') !== null")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#{ids.DOWNLOAD_WORKBOOK}")).to_be_focused()
    watch.assert_clean()
