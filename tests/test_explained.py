"""Figures people can trust: population in context, a glossary reachable from labels, dates on every view,
exports that hold what is shown, in real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import draw_every_chart, interactive

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)
NNBSP = "\u202f"


@pytest.fixture
def visit(open_page):
    """visit('?year=2024') -> (page, watch) once the interactive page has taken over."""

    def visit_(query: str):
        page, watch = open_page(query, accept_downloads=True)
        interactive(page)
        draw_every_chart(page)
        return page, watch

    return visit_


@pytest.mark.parametrize(("lang", "figure"), [("en", "24,015,789"), ("fr", f"24{NNBSP}015{NNBSP}789")])
def test_explain001_country_population_on_2024(visit, lang, figure):
    page, watch = visit(f"?year=2024&lang={lang}")
    expect(page.locator(f"#{ids.PEOPLE_TOTAL}")).to_contain_text(figure)
    expect(page.locator(f"#{ids.MAP_COUNTRY}")).to_contain_text(figure)
    watch.assert_clean()


def test_explain002_glossary_opened_from_a_group_label(visit):
    page, watch = visit("?year=2019")
    page.locator(f"#{ids.PEOPLE} details.table-alt summary").click()
    page.locator(f"#{ids.PEOPLE_TABLE} a.term", has_text="Returned IDPs").click()
    expect(page).to_have_url(re.compile(r"#gloss-returned-idps$"))
    entry = page.locator("#gloss-returned-idps")
    expect(entry).to_be_in_viewport()
    expect(entry).to_have_text("Returned IDPs")
    watch.assert_clean()


def test_explain003_reference_dates_on_every_view(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.dates_of(ids.PEOPLE)}")).to_contain_text("People of concern: as of 31 Dec 2019")
    expect(page.locator(f"#{ids.dates_of(ids.BUDGET)}")).to_contain_text("year ending 31 Dec 2019")
    expect(page.locator(f"#{ids.dates_of(ids.KEYFIG)}")).to_contain_text("Year-end results: year ending 31 Dec 2019")
    expect(page.locator(f"#{ids.dates_of(ids.MAP)}")).to_contain_text("by region: as of 31 Jan 2024")
    expect(page.locator(f"#{ids.dates_of(ids.FEED)}")).to_contain_text("published 2021")
    expect(page.locator(f"#{ids.title_of(ids.MAP)}")).to_have_text(
        "Map: refugees and asylum-seekers by region as of 31 Jan 2024"
    )
    watch.assert_clean()


def test_explain004_people_csv_holds_the_trend_the_card_draws(visit):
    page, watch = visit("?year=2019")
    drawn = page.locator(f"#{ids.PEOPLE_TREND} .xtick text").all_text_contents()
    with page.expect_download() as info:
        page.locator(f"#{ids.download_of(ids.PEOPLE)}").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    trend = [line.split(",") for line in text.splitlines() if ",trend," in line]
    assert [row[3] for row in trend] == [t.replace("mid-", "") for t in drawn]
    assert [trend[5][3], trend[5][6]] == ["2019", "275779"]
    watch.assert_clean()


def test_explain005_real_zero_bars_are_labelled(visit):
    page, watch = visit("?year=2024")
    labels = page.locator(f"#{ids.PEOPLE_BREAKDOWN} .bars .point text")
    expect(labels.filter(has_text=re.compile(r"^0$"))).to_have_count(4)
    watch.assert_clean()
