"""Tasks people do, each in as few taps as it should take, in real headless Chromium: a French- or
English-speaking officer on a phone (390x844) or a laptop. Each test ends checking the console and that no
request left for another host."""

from __future__ import annotations

import re

import pytest

from dashboard import ids
from tests.browser_support import PageWatch, scroll_to

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LANGS = ["en", "fr"]
NNBSP = "\u202f"
WORDS = {
    "en": {
        "refugees": "Refugees",
        "no_data": "no data",
        "only": "Refugees only",
        "all": "All groups",
        "page": "Operation page",
        "show_statistics": "Switch to the UNHCR statistics series",
        "largest_donors": "Largest donors first",
        "korea": "Republic of Korea",
        "private_korea": "Private donors (Republic of Korea)",
        "private_spain": "Private donors (Spain)",
        "private_column": "Private donor",
        "two": "2 contributions shown, total $32,645,691",
        "search": "JAPAN",
    },
    "fr": {
        "refugees": "Réfugiés",
        "no_data": "pas de données",
        "only": "Réfugiés uniquement",
        "all": "Tous les groupes",
        "page": "Page de l’opération",
        "show_statistics": "Passer à la série statistique du HCR",
        "largest_donors": "Plus grands donateurs d’abord",
        "korea": "République de Corée",
        "private_korea": "Donateurs privés (République de Corée)",
        "private_spain": "Donateurs privés (Espagne)",
        "private_column": "Donateur privé",
        "two": f"2 contributions affichées, total 32{NNBSP}645{NNBSP}691\xa0$US",
        "search": "japón",
    },
}


def number(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", NNBSP if lang == "fr" else ",")


@pytest.fixture
def visit(server, browser):
    """visit('?year=2018', PHONE) -> (page, watch), the interactive page drawn (or the page without scripts)."""
    contexts = []

    def open_page(query: str = "", viewport: dict = LAPTOP, java_script: bool = True):
        context = browser.new_context(viewport=viewport, java_script_enabled=java_script)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(server.url)
        watch.attach(page)
        page.goto(server.url + "/" + query)
        if java_script:
            expect(page.locator(f"#{ids.KPIS} .kpi")).to_have_count(5)
            expect(page.locator(f"#{ids.SSR}")).to_have_count(0)
            scroll_to(page, ids.BUDGET_YEARS)  # drawn as it comes near the screen
            expect(page.locator(f"#{ids.BUDGET_YEARS} .point")).to_have_count(12)
            page.evaluate("() => scrollTo(0, 0)")
        return page, watch

    yield open_page
    for c in contexts:
        c.close()


# Whether the element at the middle of the screen belongs to the controls: the figures are covered.
COVERED = """() => {
  const el = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return Boolean(el && el.closest(".controls-fold"));
}"""


def stick_and_open(page):
    """Scroll into the figures, where the one-line summary is stuck at the top, and open the panel."""
    page.mouse.wheel(0, 1500)
    page.wait_for_function("() => scrollY > 1000")
    summary = page.locator("summary.controls-summary")
    summary.click()
    expect(page.locator("details.controls-fold")).to_have_attribute("open", "")
    assert page.evaluate(COVERED)
    return summary


# 1. On a phone the opened selection panel does not stay over the figures.


@pytest.mark.parametrize("lang", LANGS)
def test_task001_phone_user_chooses_2018_and_scrolls_figures_not_covered(visit, lang):
    page, watch = visit(f"?year=2019&lang={lang}", PHONE)
    summary = stick_and_open(page)
    page.locator(f"#{ids.YEAR} label", has_text="2018").click()
    expect(summary).to_have_text(re.compile(r"^2018 · "))
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text("2018")
    # The panel stays open for another choice; scrolling to the figures folds it.
    expect(page.locator("details.controls-fold")).to_have_attribute("open", "")
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] - 30)
    page.mouse.wheel(0, 600)
    expect(page.locator("details.controls-fold")).not_to_have_attribute("open", "")
    page.wait_for_function("() => scrollY > 1600")
    assert not page.evaluate(COVERED)
    assert summary.bounding_box()["height"] <= 0.15 * PHONE["height"] / 2
    expect(summary).to_be_focused()
    watch.assert_clean()


def test_task002_phone_user_ticks_a_group_then_scrolls_panel_folds(visit):
    page, watch = visit("?year=2019&lang=fr", PHONE)
    stick_and_open(page)
    page.locator(f"#{ids.GROUPS} .group-name", has_text="Apatrides").click()
    # Several boxes may be ticked: the panel stays open until the page scrolls.
    expect(page.locator(f"#{ids.CONTROLS_SUMMARY}")).to_contain_text("8 groupes")
    expect(page.locator("details.controls-fold")).to_have_attribute("open", "")
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] - 30)  # below the panel, over the figures
    page.mouse.wheel(0, 400)
    expect(page.locator("details.controls-fold")).not_to_have_attribute("open", "")
    assert not page.evaluate(COVERED)
    watch.assert_clean()


def test_task003_keyboard_choice_keeps_the_panel_open(visit):
    page, watch = visit("?year=2019&lang=en", PHONE)
    page.locator("summary.controls-summary").click()
    page.locator(f"#{ids.YEAR} input[value='2019']").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#{ids.CONTROLS_SUMMARY}")).to_have_text(re.compile(r"^2018 · "))
    expect(page.locator("details.controls-fold")).to_have_attribute("open", "")
    expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_focused()
    watch.assert_clean()


# 2. One group, or all of them, in one tap; the summary names a single group.


@pytest.mark.parametrize("lang", LANGS)
def test_task004_only_refugees_in_one_tap_then_all_groups(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2019&lang={lang}")
    page.get_by_role("button", name=words["only"], exact=True).click()
    expect(page).to_have_url(re.compile(r"groups=refugees(&|$)"))
    expect(page.locator(f"#{ids.GROUPS} input:checked")).to_have_count(1)
    expect(page.locator(f"#{ids.GROUPS} input[value='refugees']")).to_be_checked()
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).to_have_text(number(26670, lang))
    expect(page.locator(f"#{ids.CONTROLS_SUMMARY}")).to_have_text(f"2019 · {words['refugees']} · {words['page']}")
    page.get_by_role("button", name=words["all"], exact=True).click()
    expect(page.locator(f"#{ids.GROUPS} input:checked")).to_have_count(9)
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).to_have_text(number(275779, lang))
    expect(page).not_to_have_url(re.compile(r"groups="))
    watch.assert_clean()


def test_task005_only_is_keyboard_usable(visit):
    page, watch = visit("?year=2019&lang=fr")
    page.get_by_role("button", name="Apatrides uniquement", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"groups=stateless"))
    expect(page.locator(f"#{ids.GROUPS} input:checked")).to_have_count(1)
    watch.assert_clean()


# For each group: the gap from its name's right edge to its "only" button, and whether both share a line.
ONLY_BESIDE = """() => [...document.querySelectorAll('#GROUPS .form-check')].map(row => {
  const name = row.querySelector('.group-name').getBoundingClientRect();
  const only = row.querySelector('.only').getBoundingClientRect();
  const middle = (only.top + only.bottom) / 2;
  return [only.left - name.right, middle >= name.top && middle <= name.bottom]; })""".replace("GROUPS", ids.GROUPS)


@pytest.mark.parametrize("lang", LANGS)
def test_task010_each_only_follows_its_box_in_the_keyboard_order(visit, lang):
    """Tab from the first group's box runs box, its "only", next box, its "only"… through every group."""
    page, watch = visit(f"?year=2019&lang={lang}")
    page.locator(f"#{ids.GROUPS} input").first.focus()
    groups = page.locator(f"#{ids.GROUPS} input").evaluate_all("(boxes) => boxes.map(b => b.value)")
    assert len(groups) == 9
    seen = []
    for _ in range(2 * len(groups)):
        seen.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.matches('input') ? ['box', e.value] : ['only', JSON.parse(e.id).group]; }"
            )
        )
        page.keyboard.press("Tab")
    assert seen == [[kind, g] for g in groups for kind in ("box", "only")]
    # Each box is named by its group alone, not also by the button its label holds.
    expect(page.get_by_role("checkbox", name=WORDS[lang]["refugees"], exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name=WORDS[lang]["only"], exact=True)).to_have_count(1)
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_task011_each_only_sits_beside_its_group_name(visit, lang, viewport):
    """Each "only" on its group's line, a few pixels after the group's name, on a phone and a laptop."""
    page, watch = visit(f"?year=2019&lang={lang}", viewport)
    if viewport is PHONE:
        page.locator("summary.controls-summary").click()
    expect(page.locator(f"#{ids.GROUPS} .only").first).to_be_visible()
    beside = page.evaluate(ONLY_BESIDE)
    assert len(beside) == 9
    assert all(0 <= gap <= 12 and same_line for gap, same_line in beside), beside
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task012_only_selects_its_group_and_toggles_no_box(visit, lang):
    """ "only" inside a box's label picks that group alone; the click toggles no box on its way (no box sees a
    change from the reader), from two groups that do not include it."""
    page, watch = visit(f"?year=2019&lang={lang}&groups=refugees,idps")
    page.evaluate(
        "() => { window.toggled = []; document.querySelectorAll('#GROUPS input').forEach(b =>"
        " b.addEventListener('change', () => window.toggled.push(b.value))); }".replace("GROUPS", ids.GROUPS)
    )
    page.locator(f"#{ids.GROUPS} .form-check", has=page.locator("input[value='stateless']")).locator(".only").click()
    expect(page).to_have_url(re.compile(r"groups=stateless(&|$)"))
    expect(page.locator(f"#{ids.GROUPS} input:checked")).to_have_count(1)
    expect(page.locator(f"#{ids.GROUPS} input[value='stateless']")).to_be_checked()
    assert page.evaluate("() => window.toggled") == []
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task006_phone_two_choices_in_a_row_cost_two_taps(visit, lang):
    """'Only refugees' then 2019: the panel stays open between the two taps and names both; scrolling to the
    figures folds it, and nothing covers them."""
    words = WORDS[lang]
    page, watch = visit(f"?year=2018&lang={lang}", PHONE)
    summary = stick_and_open(page)
    fold = page.locator("details.controls-fold")
    page.get_by_role("button", name=words["only"], exact=True).click()
    expect(summary).to_have_text(f"2018 · {words['refugees']} · {words['page']}")
    expect(fold).to_have_attribute("open", "")
    page.locator(f"#{ids.YEAR} label", has_text="2019").click()
    expect(summary).to_have_text(f"2019 · {words['refugees']} · {words['page']}")
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).to_have_text(number(26670, lang))
    expect(fold).to_have_attribute("open", "")
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] - 30)
    page.mouse.wheel(0, 400)
    expect(fold).not_to_have_attribute("open", "")
    assert not page.evaluate(COVERED)
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task007_without_scripts_only_and_all_are_links(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2019&lang={lang}", java_script=False)
    page.get_by_role("link", name=words["only"], exact=True).click()
    expect(page).to_have_url(re.compile(r"groups=refugees(&|$)"))
    expect(page.locator(f"#ssr-{ids.PEOPLE_TOTAL} .big")).to_have_text(number(26670, lang))
    expect(page.locator(f"#ssr-{ids.CONTROLS_SUMMARY}")).to_contain_text(words["refugees"])
    page.get_by_role("link", name=words["all"], exact=True).click()
    expect(page.locator(f"#ssr-{ids.PEOPLE_TOTAL} .big")).to_have_text(number(275779, lang))
    watch.assert_clean()


# 3. Where the chosen source has no figure and the other has, the page says so and offers it.


@pytest.mark.parametrize("lang", LANGS)
def test_task008_refugees_2018_gap_offers_the_statistics_series(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2018&groups=refugees&lang={lang}")
    total = page.locator(f"#{ids.PEOPLE_TOTAL}")
    expect(total.locator(".big")).to_have_text(words["no_data"])
    expect(total).to_contain_text(number(26538, lang))
    # Never switched silently: the operation page stays chosen until the link is followed.
    expect(page.locator(f"#{ids.SOURCE} input[value='page']")).to_be_checked()
    total.get_by_role("link", name=words["show_statistics"]).click()
    expect(page).to_have_url(re.compile(r"source=statistics"))
    expect(page.locator(f"#{ids.SOURCE} input[value='statistics']")).to_be_checked()
    expect(total.locator(".big")).to_have_text(number(26538, lang))
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task009_trend_gaps_say_which_years_the_other_source_has(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2019&groups=refugees&lang={lang}")
    gaps = page.locator(f"#{ids.PEOPLE} p.switch")  # 2019 itself has a figure: the trend's line only
    expect(gaps).to_contain_text("2014–2018")
    no_data = page.locator(f"#{ids.PEOPLE_TREND} .annotation", has_text=words["no_data"])
    expect(no_data).to_have_count(10)  # 2014–2018, 2020–2023 and 2025
    gaps.get_by_role("link", name=words["show_statistics"]).click()
    # The trend is below the screen: drawn with the new source as it scrolls into view (assets/answers.js).
    expect(page).to_have_url(re.compile(r"source=statistics"))
    scroll_to(page, ids.PEOPLE_TREND)
    expect(no_data).to_have_count(0)
    expect(gaps).to_have_count(0)
    expect(page.locator(f"#{ids.PEOPLE_TOTAL} .big")).to_have_text(number(26672, lang))
    watch.assert_clean()


# 4. The donor filter applies as one types.


@pytest.mark.parametrize("lang", LANGS)
def test_task010_donor_filter_applies_while_typing(visit, lang):
    page, watch = visit(f"?year=2021&lang={lang}")
    page.locator(f"#{ids.FEED_DONOR}").press_sequentially(WORDS[lang]["search"], delay=60)
    # No Enter: the list follows the typing within a second or two, accents and case ignored.
    expect(page.locator(f"#{ids.FEED_TOTAL}")).to_have_text(WORDS[lang]["two"], timeout=3_000)
    expect(page.locator(f"#{ids.FEED_TABLE} tbody tr")).to_have_count(2)
    watch.assert_clean()


# 6. The contributions feed: the year that has them, totals per donor, private donors named clearly.


@pytest.mark.parametrize("lang", LANGS)
def test_task011_empty_year_offers_the_year_with_contributions(visit, lang):
    page, watch = visit(f"?year=2019&lang={lang}")
    feed_total = page.locator(f"#{ids.FEED_TOTAL}")
    expect(page.locator(f"#{ids.FEED_TABLE} table")).to_have_count(0)
    feed_total.get_by_role("link", name="2021").click()
    expect(page).to_have_url(re.compile(r"year=2021"))
    expect(page.locator(f"#{ids.YEAR} input[value='2021']")).to_be_checked()
    expect(page.locator(f"#{ids.FEED_TABLE} tbody tr")).to_have_count(20)
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task012_largest_donors_first_keeps_korea_apart_from_its_private_donors(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2021&lang={lang}")
    page.locator(f"#{ids.FEED_SORT} label", has_text=words["largest_donors"]).click()
    totals = page.locator(f"#{ids.FEED_TABLE} tr.donor-total")
    expect(totals).to_have_count(19)  # 17 donor countries; Japan's and Korea's private donors apart
    expect(totals.nth(0)).to_contain_text("Japan" if lang == "en" else "Japon")
    expect(totals.nth(3)).to_contain_text(words["private_korea"])
    expect(totals.nth(3)).to_contain_text(f"8{',' if lang == 'en' else NNBSP}056{',' if lang == 'en' else NNBSP}152")
    expect(totals.nth(4)).to_have_text(re.compile(rf"^{words['korea']} · 2 .*5{',' if lang == 'en' else NNBSP}000"))
    expect(page).to_have_url(re.compile(r"sort=donor_total_desc"))
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_task013_private_donor_named_with_its_country(visit, lang):
    words = WORDS[lang]
    page, watch = visit(f"?year=2021&lang={lang}")
    table = page.locator(f"#{ids.FEED_TABLE} table")
    expect(table.locator("td", has_text=words["private_spain"])).to_have_count(1)
    expect(table.locator("th", has_text=words["private_column"])).to_have_count(0)
    watch.assert_clean()
