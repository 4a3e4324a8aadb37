"""The dashboard in real headless Chromium, as a person uses it. Each test ends checking the console and
that no request left for another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser_support import AppProcess, interactive, scroll_to
from tests.conftest import PAGE_2021

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)


@pytest.fixture
def visit(open_page):
    """visit('?year=2018') -> (page, watch) with the dashboard drawn; `base` for another server."""

    def visit_(query: str = "", locale: str = "en-GB", base: str | None = None, bypass_csp: bool = False):
        page, watch = open_page(query, base, locale=locale, accept_downloads=True, bypass_csp=bypass_csp)
        interactive(page)
        return page, watch

    return visit_


def kpi(page, n: int):
    return page.locator(f"#{ids.KPIS} .kpi").nth(n).locator("dd").first


def choose_year(page, year: int) -> None:
    page.locator(f"#{ids.YEAR} label", has_text=str(year)).click()


def test_page001_every_view_shows_2019(visit):
    page, watch = visit("?year=2019")
    expect(kpi(page, 0)).to_have_text("275,779")
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).to_have_text("275,779")
    expect(page.locator(f"#{ids.PEOPLE_TOTAL}")).to_contain_text("+79% against 2018")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$17.3M")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("75.6%")
    expect(page.locator(f"#{ids.KEYFIG_BODY}")).to_contain_text("6,500")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_contain_text("No contributions listed for 2019")
    expect(page.locator(f"#{ids.FEED_TABLE} table")).to_have_count(0)
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("275,779")
    scroll_to(page, ids.BUDGET_YEARS)  # drawn as it comes near the screen
    expect(page.locator(f"#{ids.BUDGET_YEARS} .point")).to_have_count(12)
    expect(page.locator(f"#{ids.MAP_DISCLAIMER}")).to_contain_text("do not imply official endorsement")
    watch.assert_clean()


def test_budget001_year_change_updates_budget(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$17.3M")
    choose_year(page, 2016)
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$49.2M")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$13.4M")
    expect(page.locator(f"#{ids.BUDGET_PILLARS_HEADING}")).to_have_text("By pillar, 2016")
    expect(kpi(page, 0)).to_have_text("no data")
    expect(page).to_have_url(re.compile(r"year=2016"))
    watch.assert_clean()


def test_budget002_click_bar_selects_year(visit):
    page, watch = visit("?year=2019")
    scroll_to(page, ids.BUDGET_YEARS)  # drawn as it comes near the screen
    expect(page.locator(f"#{ids.BUDGET_YEARS} .point")).to_have_count(12)
    page.locator(f"#{ids.BUDGET_YEARS} .trace.bars").first.locator(".point").nth(1).click(force=True)
    expect(page.locator(f"#{ids.YEAR} input[value='2017']")).to_be_checked()
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$41M")
    watch.assert_clean()


def test_map001_click_opens_office(visit):
    page, watch = visit("?year=2019")
    icon = page.locator(".leaflet-marker-icon.office-sub_office")
    expect(icon).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon.office-icon")).to_have_count(5)
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    expect(page.locator(f"#{ids.MAP} path.map-point")).to_have_count(2)  # Ménaka, and Bamako's small region
    icon.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Gao")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Sub-office")
    expect(page.locator(f"#{ids.MAP_DETAILS}")).to_contain_text("Sub-office")
    expect(page.locator(f"#{ids.MAP_DETAILS}")).to_contain_text("As of Feb 2021")
    watch.assert_clean()


@pytest.mark.parametrize(("index", "name", "figure"), [(0, "Bamako", "2,373"), (1, "Ménaka", "15,234")])
def test_map003_region_points_clicked_apart_from_offices(visit, index, name, figure):
    page, watch = visit("?year=2019")
    page.locator(f"#{ids.MAP} path.map-point").nth(index).click()
    expect(page.locator(f"#{ids.MAP_DETAILS}")).to_have_text(f"{name} — Refugees and asylum-seekers: {figure}")
    watch.assert_clean()


def test_map002_year_changes_country_figure(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("275,779")
    choose_year(page, 2018)
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("154,432")
    choose_year(page, 2020)
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("no data")
    watch.assert_clean()


def test_map005_keyboard_opens_and_closes_popup(visit):
    page, watch = visit("?year=2019")
    marker = page.locator(".leaflet-marker-icon.office-country_office")
    expect(marker).to_have_attribute("tabindex", "0")
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Country office")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup-content")).to_have_count(0)
    watch.assert_clean()


def test_groups001_filter_updates_totals_and_map(visit):
    page, watch = visit("?year=2019")
    expect(kpi(page, 0)).to_have_text("275,779")
    page.locator(f"#{ids.GROUPS} .group-name", has_text="IDPs").first.click()
    expect(kpi(page, 0)).to_have_text("68,028")
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("68,028")
    expect(page).to_have_url(re.compile(r"groups=refugees"))
    watch.assert_clean()


def test_lang001_switch_to_french(visit):
    page, watch = visit("?year=2019")
    page.locator(f"#{ids.LANG} label", has_text="Français").click()
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("Tableau de bord des opérations")
    expect(kpi(page, 0)).to_have_text("275\u202f779")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("17,3\xa0M\xa0$US")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(f"#{ids.PEOPLE_TABLE}-summary")).to_have_text("Afficher les chiffres sous forme de tableau")
    expect(page.locator(f"#{ids.source_of(ids.BUDGET)}")).to_contain_text(
        "Source\u202f: HCR, Global Focus, page de l’opération Mali (2021)"
    )
    watch.assert_clean()


def test_lang002_browser_language_on_first_visit(visit):
    page, watch = visit(locale="fr-FR")
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("Tableau de bord des opérations")
    watch.assert_clean()


def test_url001_permalink_and_back_button(visit):
    page, watch = visit("?year=2018&lang=fr&groups=refugees,idps")
    expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_checked()
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("Tableau de bord des opérations")
    expect(kpi(page, 0)).to_have_text("pas de données")
    choose_year(page, 2019)
    expect(kpi(page, 0)).to_have_text("234\u202f421")
    page.go_back()
    expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_checked()
    expect(kpi(page, 0)).to_have_text("pas de données")
    watch.assert_clean()


def test_url002_bad_address_shows_notice(visit):
    page, watch = visit("?year=banana&lang=xx")
    expect(page.locator(f"#{ids.NOTICE}")).to_have_text(
        "Language “xx” is not available; showing English. Year “banana” is not in the data; showing mid-2024."
    )
    expect(kpi(page, 0)).to_have_text("426,383")
    watch.assert_clean()


def test_feed001_filter_and_total(visit):
    page, watch = visit("?year=2021")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text("20 contributions shown, total $73,437,098")
    expect(page.locator(f"#{ids.FEED_TABLE} tbody tr")).to_have_count(20)
    page.locator(f"#{ids.FEED_DONOR_TYPE} label", has_text="Private").click()
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text("13 contributions shown, total $25,890,232")
    page.locator(f"#{ids.FEED_DONOR}").fill("korea")
    page.locator(f"#{ids.FEED_DONOR}").press("Enter")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text("1 contribution shown, total $8,056,152")
    watch.assert_clean()


def test_download001_budget_csv(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$17.3M")
    with page.expect_download() as info:
        page.locator(f"#{ids.download_of(ids.BUDGET)}").click()
    download = info.value
    assert download.suggested_filename == "mali-budget-2019.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "Licence: UNHCR terms of use" in text
    assert "MLI,by_pillar,2019,budget,total,Total,17.33224968,17332249.68," in text
    watch.assert_clean()


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a11y001_axe_finds_no_serious_violation(visit, lang):
    assert AXE.is_file(), "axe-core missing: `bash scripts/test` installs it with npm"
    # axe-core is injected as an inline script, which the page's script policy rightly refuses.
    page, watch = visit(f"?year=2019&lang={lang}", bypass_csp=True)
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).not_to_be_empty()
    for summary in page.locator("details.table-alt summary").all():
        summary.click()
    expect(page.locator("details.table-alt table:visible")).to_have_count(5)  # the map's in one order
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []
    watch.assert_clean()


def test_a11y002_keyboard_changes_year_and_opens_table(visit):
    page, watch = visit("?year=2019")
    page.locator(f"#{ids.YEAR} input[value='2019']").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_checked()
    expect(kpi(page, 0)).to_have_text("154,432")
    summary = page.locator(f"#{ids.BUDGET} details.table-alt summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{ids.BUDGET_TABLE} table").nth(1)).to_contain_text("Refugee programme")
    expect(page.locator(f"#{ids.BUDGET_TABLE} table").nth(1)).to_contain_text("Budget (USD million)")
    expect(page.locator(f"#{ids.BUDGET_TABLE} table").nth(1)).to_contain_text("11.21")
    expect(page.locator(f"#{ids.BUDGET_TABLE} table").first).to_contain_text("2020")
    watch.assert_clean()


def test_walk001_year_change_updates_every_view(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.title_of(ids.KEYFIG)}")).to_have_text("Key figures, 2019")
    choose_year(page, 2021)
    expect(kpi(page, 0)).to_have_text("no data")
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_have_text("People of concern, 2021")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$57.5M")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("not available")
    expect(page.locator(f"#{ids.KEYFIG_BODY}")).to_contain_text("Planning targets")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text("20 contributions shown, total $73,437,098")
    expect(page.locator(f"#{ids.MAP_COUNTRY} .big")).to_have_text("no data")
    expect(kpi(page, 4)).to_have_text("$73.4M")
    watch.assert_clean()


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory):
    """The app on a copy of data/ whose donor and office names contain markup, in its own process."""
    import shutil

    data = tmp_path_factory.mktemp("markup") / "data"
    shutil.copytree(ROOT / "data", data)
    for name, old, new in (
        ("contributions.csv", "2021-04-16,Italy,", '2021-04-16,"<img src=x onerror=""window.hacked=1"">Italy",'),
        ("offices.csv", "MLI,Gao,Gao,", 'MLI,"<b onmouseover=""window.hacked=1"">Gao</b>",Gao,'),
    ):
        path = data / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with AppProcess(ROOT, data) as app:
        yield app.url


def test_xss001_markup_in_names_is_shown_as_text(markup_server, visit):
    page, watch = visit("?year=2021", base=markup_server)
    grid = page.locator(f"#{ids.FEED_TABLE}")
    expect(grid).to_contain_text('<img src=x onerror="window.hacked=1">Italy')
    expect(grid.locator("img")).to_have_count(0)
    page.locator(".leaflet-marker-icon.office-sub_office").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text('<b onmouseover="window.hacked=1">Gao</b>')
    expect(popup.locator("b")).to_have_count(0)
    assert page.evaluate("window.hacked") is None
    watch.assert_clean()


def test_xss002_markup_in_a_name_drawn_after_a_choice_is_text(markup_server, visit):
    """A choice's answer carries the feed's box as HTML (dashboard/markup.py) that the page puts in place: the
    donor's name in it is text, no element made of it."""
    page, watch = visit("?year=2019", base=markup_server)
    choose_year(page, 2021)
    grid = page.locator(f"#{ids.FEED_TABLE}")
    expect(grid).to_contain_text('<img src=x onerror="window.hacked=1">Italy')
    expect(grid.locator("td")).not_to_have_count(0)
    expect(grid.locator("img")).to_have_count(0)
    assert page.evaluate("window.hacked") is None
    watch.assert_clean()


@pytest.fixture(scope="module")
def two_operations(tmp_path_factory):
    """data/ plus a second operation (NER) imported from a variant of the 2021 page, served in its own process."""
    import shutil

    from dashboard import importer

    tmp = tmp_path_factory.mktemp("two")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    page = tmp / "niger.txt"
    text = PAGE_2021.read_text(encoding="utf-8")
    text = text.replace("Opération: Mali", "Opération: Niger").replace(
        '"longitude":-2,"latitude":17', '"longitude":8,"latitude":17'
    )
    page.write_text(text.replace("$586,167", "$586,168"), encoding="utf-8")
    importer.import_page(page, data, operation="NER")
    with AppProcess(ROOT, data) as app:
        yield app.url


def test_op001_operation_selector_switches_every_view(two_operations, visit):
    page, watch = visit("?year=2021", base=two_operations)
    expect(page.locator(f"#{ids.SUBTITLE}")).to_have_text("UNHCR operation: Mali")
    expect(kpi(page, 4)).to_have_text("$73.4M")
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    page.locator(f"#{ids.OPERATION} label", has_text="Niger").click()
    expect(page.locator(f"#{ids.SUBTITLE}")).to_have_text("UNHCR operation: Niger")
    expect(page).to_have_url(re.compile(r"op=NER"))
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_contain_text("$73,437,099")
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(0)
    expect(page.locator(f"#{ids.MAP_LEGEND}")).to_contain_text("No map geometry is available for this operation")
    expect(page.locator(f"#{ids.BUDGET_SUMMARY}")).to_contain_text("$57.5M")
    page.go_back()
    expect(page.locator(f"#{ids.SUBTITLE}")).to_have_text("UNHCR operation: Mali")
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    watch.assert_clean()


def test_map004_keyboard_pans_the_map(visit):
    page, watch = visit("?year=2019")
    expect(page.locator(f"#{ids.MAP} path.map-region")).to_have_count(9)
    pane = page.locator(f"#{ids.MAP} .leaflet-map-pane")
    before = pane.evaluate("el => el.style.transform")
    page.locator(f"#{ids.MAP_LEAFLET}").focus()
    page.keyboard.press("ArrowRight")
    expect(pane).not_to_have_attribute("style", re.compile(re.escape(before)))
    watch.assert_clean()


def test_lang003_plotly_and_leaflet_controls_in_french(visit):
    page, watch = visit("?year=2019&lang=fr")
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("Tableau de bord des opérations")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom avant")
    page.locator(f"#{ids.BUDGET_YEARS}").hover()
    expect(
        page.locator(f"#{ids.BUDGET_YEARS} .modebar-btn[data-title='Télécharger le graphique en PNG']")
    ).to_have_count(1)
    watch.assert_clean()


@pytest.mark.parametrize("query", ["Corée", "korea", "COREE"])
def test_feed002_donor_search_in_either_language(visit, query):
    page, watch = visit("?year=2021&lang=fr")
    page.locator(f"#{ids.FEED_DONOR}").fill(query)
    page.locator(f"#{ids.FEED_DONOR}").press("Enter")
    expect(page.locator(f"#{ids.FEED_TABLE} tbody tr")).to_have_count(3)
    expect(page.locator(f"#{ids.FEED_TABLE} tbody")).to_contain_text("République de Corée")
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text(
        "3 contributions affichées, total 13\u202f056\u202f152\xa0$US"
    )
    watch.assert_clean()
