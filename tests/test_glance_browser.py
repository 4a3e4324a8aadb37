"""True at a glance (issue 25) in headless Chromium, in both languages: what a reader sees first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import draw_every_chart, interactive

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)


@pytest.mark.parametrize(
    ("lang", "year", "title"),
    [("en", "mid-2024", "People of concern, mid-2024"), ("fr", "mi-2024", "Personnes relevant du HCR, mi-2024")],
)
def test_glance101_a_bare_address_opens_on_the_newest_figures(open_page, lang, year, title):
    """From a link or the installed app (no year in the address): the newest operation-page figures, named
    mid-year, in the year choice, the card's title and the folded controls' summary."""
    page, watch = open_page("", locale="en-GB" if lang == "en" else "fr-FR")
    interactive(page)
    expect(page.locator(f"#{ids.YEAR} label.checked")).to_have_text(year)
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_have_text(title)
    expect(page.locator(f"#{ids.CONTROLS_SUMMARY}")).to_contain_text(year)
    # The key numbers the year lacks name their newest year, as links of full target size.
    newest = page.locator(f"#{ids.KPIS} .detail a")
    expect(newest).to_have_count(4)
    assert newest.first.bounding_box()["height"] >= 24
    # The budget has nothing for it: it says which year is its newest, and the link opens that year.
    link = page.locator(f"#{ids.BUDGET_HINT} a")
    expect(link).to_have_text("Show 2021" if lang == "en" else "Afficher 2021")
    link.click()
    expect(page.locator(f"#{ids.YEAR} label.checked")).to_have_text("2021")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("57.5" if lang == "en" else "57,5")
    watch.assert_clean()


@pytest.mark.parametrize(
    ("query", "label", "file"),
    [
        ("?year=2019&groups=refugees&lang=fr", "Personnes relevant du HCR (Réfugiés)", "mali-people-refugees-2019.csv"),
        (
            "?groups=refugees,idps&lang=en",
            "People of concern (Refugees and IDPs)",
            "mali-people-refugees-idps-mid-2024.csv",
        ),
    ],
)
def test_glance102_the_groups_counted_are_named_everywhere(open_page, query, label, file):
    """A single group or two: the key number, the card's title, both charts' titles (what a PNG export
    carries) and the CSV's name say which groups are counted."""
    page, watch = open_page(query, accept_downloads=True)
    interactive(page)
    draw_every_chart(page)
    expect(page.locator(f"#{ids.KPIS} .kpi").first.locator("dt")).to_have_text(label)
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text(label)
    for graph in (ids.PEOPLE_BREAKDOWN, ids.PEOPLE_TREND):
        title = page.locator(f"#{graph} .gtitle")
        expect(title).to_have_count(1)
        assert label.replace(" ", "") in title.text_content().replace(" ", "").replace("\u00a0", "")
    with page.expect_download() as info:
        page.locator(f"#{ids.download_of(ids.PEOPLE)}").click()
    assert info.value.suggested_filename == file
    watch.assert_clean()


@pytest.mark.parametrize(("lang", "short"), [("en", "UNHCR Mali"), ("fr", "HCR Mali")])
def test_glance103_the_tab_shows_the_apps_icon_and_the_manifest_its_name(open_page, server, lang, short):
    page, watch = open_page(f"?year=2019&lang={lang}")
    interactive(page)
    icons = page.locator("link[rel~='icon']")
    expect(icons).to_have_count(1)
    href = icons.get_attribute("href")
    icon = page.request.get(server.url + href)
    assert icon.ok and icon.headers["content-type"] == "image/png" and icon.body()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = page.request.get(server.url + page.locator("link[rel='manifest']").get_attribute("href")).json()
    assert manifest["short_name"] == short and "Mali" in manifest["name"] and page.title() == manifest["name"]
    watch.assert_clean()


# Every region's drawn box, and the overlap of each with the map's box ({} when all are inside it).
REGIONS_OUTSIDE = """() => {
  const m = document.getElementById('MAP').getBoundingClientRect();
  const out = {};
  document.querySelectorAll('#MAP path.leaflet-interactive').forEach((p, i) => {
    const r = p.getBoundingClientRect();
    if (r.left < m.left - 0.5 || r.right > m.right + 0.5 || r.top < m.top - 0.5 || r.bottom > m.bottom + 0.5) {
      out[i] = [r.left - m.left, m.right - r.right, r.top - m.top, m.bottom - r.bottom];
    }
  });
  return out;
}""".replace("MAP", ids.MAP_LEAFLET)
# A point of the westernmost region near the map's left edge (Kayes).
WEST_EDGE = """() => { const m = document.getElementById('MAP').getBoundingClientRect();
  for (let x = m.left + 4; x < m.right; x += 4) { for (let y = m.top + 20; y < m.bottom - 20; y += 5) {
    const e = document.elementFromPoint(x, y);
    if (e && e.classList.contains("map-region")) return [x, y]; } } }""".replace("MAP", ids.MAP_LEAFLET)


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_glance104_all_of_mali_on_every_screen(open_page, width):
    """The whole country (every region's shape and figure point) inside the map from a 320 px phone up."""
    phone = width < 500
    page, watch = open_page(
        "?year=2019&lang=fr", viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone
    )
    interactive(page)
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    page.locator(f"#{ids.MAP_LEAFLET}").scroll_into_view_if_needed()
    page.wait_for_function(f"() => Object.keys(({REGIONS_OUTSIDE})()).length === 0")
    watch.assert_clean()


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_glance105_a_popup_on_the_western_edge_keeps_the_country_in_frame(open_page, width):
    """A click (a tap on a phone) on Kayes, at the country's western edge, opens its popup and its details
    without moving the map: every region is still inside it, from a 320 px phone up."""
    phone = width < 500
    page, watch = open_page(
        "?year=2019&lang=fr", viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone
    )
    interactive(page)
    page.locator(f"#{ids.MAP_LEAFLET}").scroll_into_view_if_needed()
    page.wait_for_function(f"() => Object.keys(({REGIONS_OUTSIDE})()).length === 0")
    x, y = page.evaluate(WEST_EDGE)
    if phone:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    expect(page.locator(".leaflet-popup")).to_contain_text("Kayes")
    expect(page.locator(f"#{ids.MAP_DETAILS}")).to_contain_text("Kayes")
    assert page.evaluate(REGIONS_OUTSIDE) == {}
    watch.assert_clean()


NAME_BOXES = """() => [...document.querySelectorAll('.region-name')]
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
  .map(r => [r.left, r.top, r.right, r.bottom])"""


@pytest.mark.parametrize(("width", "least"), [(320, 2), (390, 2), (1366, 7)])
def test_glance106_regions_are_named_on_the_map_without_overlap(open_page, width, least):
    phone = width < 500
    page, watch = open_page(
        "?year=2019&lang=fr", viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone
    )
    interactive(page)
    page.locator(f"#{ids.MAP_LEAFLET}").scroll_into_view_if_needed()
    expect(page.locator(".region-name", has_text="Kayes")).to_be_visible()
    expect(page.locator(".region-name", has_text="Tombouctou")).to_be_visible()
    boxes = page.evaluate(NAME_BOXES)
    assert len(boxes) >= least
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # The table keeps every region.
    page.locator(f"#{ids.summary_of(ids.MAP_TABLE)}").click()
    expect(page.locator(f"#{ids.MAP_TABLE} .by-figure tbody tr")).to_have_count(10)
    watch.assert_clean()


# Every text box plotly drew in each chart (ticks, axis titles, values on bars, notes, title, source), and the
# pairs that overlap: {graph: [[text, text], ...]}.
OVERLAPS = """() => {
  const out = {};
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    const texts = [...plot.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .bartext, .annotation-text, .gtitle')]
      .map(e => [e.textContent, e.getBoundingClientRect()]).filter(([t, r]) => t.trim() && r.width > 0);
    const pairs = [];
    texts.forEach(([ta, a], i) => texts.slice(i + 1).forEach(([tb, b]) => {
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) pairs.push([ta, tb]);
    }));
    if (pairs.length) out[plot.closest('[id]').id] = pairs;
  });
  return out;
}"""


@pytest.mark.parametrize("query", ["?year=2019&lang=fr", "?year=2021&lang=fr&source=statistics", "?lang=fr"])
@pytest.mark.parametrize("width", [320, 390, 440])
def test_glance107_phone_charts_in_french_have_no_overlapping_labels(open_page, width, query):
    page, watch = open_page(query, viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    interactive(page)
    draw_every_chart(page)
    for graph in (ids.PEOPLE_BREAKDOWN, ids.PEOPLE_TREND, ids.BUDGET_YEARS, ids.BUDGET_PILLARS):
        expect(page.locator(f"#{graph} .gtitle")).to_be_attached()
    assert page.evaluate(OVERLAPS) == {}
    watch.assert_clean()


def test_glance108_a_french_map_says_no_english_word_while_its_layers_load(open_page, server):
    """On a slow phone the map's layers (dash-leaflet's GeoJSON script) arrive after the map itself: meanwhile
    no English "Loading..." shows on a French page, and the layers are drawn once their script comes. (The
    worker is blocked: a request it answers would not pass through the page's route.)"""
    page, watch = open_page(None, viewport={"width": 390, "height": 844}, service_workers="block")
    held = []
    page.route("**/async-GeoJSON*.js", lambda route: held.append(route))
    with page.expect_request("**/async-GeoJSON*.js"):
        page.goto(server.url + "/?lang=fr")
    expect(page.locator(f"#{ids.MAP} .leaflet-control-zoom-in")).to_be_visible()
    expect(page.locator(f"#{ids.MAP}")).not_to_contain_text("Loading", use_inner_text=True)
    for route in held:
        route.continue_()
    expect(page.locator(f"#{ids.MAP} path.leaflet-interactive").first).to_be_visible()
    watch.assert_clean()
    page.context.close()
