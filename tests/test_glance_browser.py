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
