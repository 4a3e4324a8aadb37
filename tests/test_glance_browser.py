"""True at a glance (issue 25) in headless Chromium, in both languages: what a reader sees first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import interactive

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
