"""One data version per page, in Chromium: a page open while the server restarts on new data never shows
figures of two versions, and says that its figures were updated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import data, ids
from tests.browser_support import PageWatch

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)


def add_to_2016_budget(data: Path, millions: float) -> None:
    """Raise the 2016 budget (its total and its first pillar) in budget.csv."""
    path = data / "budget.csv"
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        fields = line.split(",")
        if fields[:3] == ["MLI", "2016", "budget"] and fields[3] in ("p1", "total"):
            fields[4] = str(float(fields[4]) + millions)
            lines[i] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")


def open_page(browser, url: str):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch(url)
    watch.attach(page)
    page.goto(url + "/?year=2019")
    expect(page.locator(f"#{ids.KPIS} .kpi")).to_have_count(5)
    expect(page.locator(f"#{ids.SSR}")).to_have_count(0)
    return context, page, watch


def year_row(page, year: int):
    return page.locator(f"#{ids.BUDGET_TABLE} table").first.locator("tr", has_text=str(year))


@pytest.fixture
def restart_on(monkeypatch):
    """restart_on(DIR): the live server's app now serves the data in DIR, as after a restart (the dataset is
    loaded again; every cache is keyed by it). The shipped data is served again after the test."""

    def restart(data_dir: Path) -> None:
        monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
        data.get_dataset.cache_clear()

    yield restart
    monkeypatch.undo()
    data.get_dataset.cache_clear()


def test_version001_a_page_open_across_a_data_update_moves_whole_to_the_new_data(
    server, browser, data_copy, restart_on
):
    restart_on(data_copy)
    context, page, watch = open_page(browser, server.url)
    expect(year_row(page, 2016)).to_contain_text("$49.2M")
    old = page.locator("meta[name=data-version]").get_attribute("content")
    expect(page.locator(f"#{ids.DATA_STAMP}")).to_have_text(
        f"Newest figures: 31 Dec 2025 (UNHCR Refugee Data Finder) · data version {old}"
    )

    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=60_000)
    add_to_2016_budget(data_copy, 10)
    restart_on(data_copy)
    # A choice the page holds no answer for: its one request meets the new data (a redirect), and the page moves
    # whole to it at the choice's address.
    page.locator(f"#{ids.GROUPS} .group-name").first.click()
    expect(page).to_have_url(re.compile(r"groups="), timeout=30_000)
    fresh_context, fresh, fresh_watch = open_page(browser, server.url)
    new = fresh.locator("meta[name=data-version]").get_attribute("content")
    assert new != old
    expect(year_row(fresh, 2016)).to_contain_text("$59.2M")
    # The open page shows the new data everywhere, not only where 2018 differs from 2019, and says so.
    expect(year_row(page, 2016)).to_have_text(year_row(fresh, 2016).text_content())
    expect(page.locator("meta[name=data-version]")).to_have_attribute("content", new)
    expect(page.locator(f"#{ids.NOTICE}")).to_contain_text("The figures were updated")
    expect(page.locator(f"#{ids.DATA_STAMP}")).to_contain_text(f"version {new}")
    fresh_watch.assert_clean()
    watch.assert_clean()
    fresh_context.close()
    context.close()


def test_version002_first_view_names_the_version_in_the_page_language(ds):
    from dashboard.app import app

    html = app.server.test_client().get("/?year=2018&lang=fr").get_data(as_text=True)
    assert f'<meta name="data-version" content="{ds.version}">' in html
    # In the server-rendered first view, before any script runs.
    stamp = (
        f"Chiffres les plus récents\u202f: 31 déc. 2025 (HCR, Refugee Data Finder) · version des données {ds.version}"
    )
    assert f'id="ssr-{ids.DATA_STAMP}"' in html and stamp in html


def test_version003_every_download_names_the_version(ds):
    import io

    from openpyxl import load_workbook

    from dashboard.app import app
    from dashboard.files import CSV_VIEWS

    client = app.server.test_client()
    assert len(CSV_VIEWS) == 5
    for name in CSV_VIEWS:
        text = client.get(f"/download/{name}.csv?lang=fr").get_data().decode("utf-8-sig")
        assert f"# Version des données {ds.version}, au 31 déc. 2025" in text.splitlines(), name
    book = load_workbook(io.BytesIO(client.get("/download/workbook.xlsx?year=2018").get_data()))
    for sheet in book.worksheets:
        lines = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
        assert f"Data version {ds.version}, as of 31 Dec 2025" in lines, sheet.title


def test_version004_a_click_answered_by_other_data_reloads_the_page_whole(server, browser, data_copy, restart_on):
    """A click only a smaller callback answers (an office on the map) on a page whose data the server no longer
    has: the page reloads itself at its address, on the new data, rather than showing a part of it."""
    restart_on(data_copy)
    context, page, watch = open_page(browser, server.url)
    old = page.locator("meta[name=data-version]").get_attribute("content")
    add_to_2016_budget(data_copy, 10)
    restart_on(data_copy)
    page.locator(".leaflet-marker-icon.office-sub_office").click()
    expect(page.locator("meta[name=data-version]")).not_to_have_attribute("content", old)
    expect(year_row(page, 2016)).to_contain_text("$59.2M")
    assert "year=2019" in page.url
    watch.assert_clean()
    context.close()


def test_version005_a_tab_shown_again_on_other_data_moves_whole(server, browser, data_copy, restart_on):
    """Every year of the page's selection is held (a year change would cost no request): when the page regains
    is shown again it asks the server for its version once, and moves whole to the new data, saying so."""
    restart_on(data_copy)
    context, page, watch = open_page(browser, server.url)
    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=60_000)
    old = page.locator("meta[name=data-version]").get_attribute("content")
    add_to_2016_budget(data_copy, 10)
    restart_on(data_copy)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the tab shown again
    expect(page.locator("meta[name=data-version]")).not_to_have_attribute("content", old, timeout=30_000)
    expect(year_row(page, 2016)).to_contain_text("$59.2M")
    expect(page.locator(f"#{ids.NOTICE}")).to_contain_text("The figures were updated")
    assert "year=2019" in page.url
    watch.assert_clean()
    context.close()
