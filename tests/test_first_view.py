"""The first view is in the HTML: the address's selection, in its language, readable with scripts off."""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

import pytest

from dashboard import ids
from dashboard.i18n import t

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def client():
    from dashboard.app import app

    return app.server.test_client()


def first_view(client, query: str, **headers) -> str:
    response = client.get("/" + query, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_ssr001_permalink_in_french_from_the_first_byte(client):
    page = first_view(client, "?year=2018&lang=fr")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "<title>Mali – Tableau de bord des opérations (HCR)</title>" in page
    view = page[page.index(f'id="{ids.SSR}"') : page.index('id="react-entry-point"')]
    assert f"154{NNBSP}432" in view and "Personnes relevant du HCR, 2018" in view
    assert "21,6 M $US" in view.replace("\xa0", " ")  # the budget of 2018 in French
    assert "Loading..." not in page.replace('"Loading":', "")


def test_ssr002_selectors_are_links_to_their_address(client):
    page = first_view(client, "?year=2018&lang=fr")
    assert '<a class="form-check-label" href="?year=2017&amp;lang=fr">2017</a>' in page
    assert re.search(r'href="\?year=2018&amp;lang=fr" aria-current="true">2018</a>', page)
    assert '<a class="form-check-label" href="?year=2018&amp;lang=en">English</a>' in page
    # Unticking refugees keeps the 8 other groups.
    assert 'href="?year=2018&amp;lang=fr&amp;groups=asylum_seekers,idps,returned_idps' in page


def test_ssr003_browser_language_on_a_bare_address(client):
    page = first_view(client, "", **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in page and f"426{NNBSP}383" in page and "Personnes relevant du HCR, mi-2024" in page


def test_ssr004_bad_address_shows_the_notice_first(client):
    page = first_view(client, "?year=banana")
    view = page[page.index(f'id="{ids.SSR}"') :]
    assert "Year “banana” is not in the data; showing mid-2024." in view and "426,383" in view


def test_ssr005_markup_in_the_address_is_text(client):
    page = first_view(client, "?donor=%3Cscript%3Ealert(1)%3C/script%3E&year=2021")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_ssr006_layout_request_follows_the_page_address(client):
    response = client.get("/_dash-layout", headers={"Referer": "http://host/?year=2018&lang=fr"})
    text = response.get_data(as_text=True)
    assert "Personnes relevant du HCR, 2018" in text and '"year": "2018"' in text.replace('":"', '": "')


class _Rows(HTMLParser):
    """The rows of every table inside the element of one id, as tuples of cell texts."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.rows, self.cell = element_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == self.element_id:
            self.depth += tag not in ("br", "hr", "img", "input")
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell += data


def table_rows(page: str, element_id: str) -> list[tuple[str, ...]]:
    parser = _Rows(f"ssr-{element_id}")
    parser.feed(page)
    return [tuple(row) for row in parser.rows]


CHART_TABLES = {
    ids.PEOPLE_BREAKDOWN: ids.PEOPLE_TABLE,
    ids.PEOPLE_TREND: ids.PEOPLE_TABLE,
    ids.BUDGET_YEARS: ids.BUDGET_TABLE,
    ids.BUDGET_PILLARS: ids.BUDGET_TABLE,
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("query", ["?year=2024", "?year=2018&groups=refugees,idps", "?year=2015&groups=none"])
def test_ssr012_a_chart_states_what_its_table_alternative_states(client, query, lang):
    """In place of each chart the first view shows the chart's own table: every figure stated ("no data", "not
    available", a real 0), never an empty cell, and row for row what the card's table alternative says."""
    page = first_view(client, f"{query}&lang={lang}")
    for graph_id, table_id in CHART_TABLES.items():
        shown, alternative = table_rows(page, graph_id), table_rows(page, table_id)
        assert len(shown) > 1, graph_id  # a header and at least one row, even when there is nothing to draw
        assert all(all(cell for cell in row) for row in shown), (graph_id, shown)
        missing = [row for row in shown if row not in alternative]
        assert not missing, (graph_id, missing)
    if query == "?year=2024":  # mid-2024 gives no figure for the returnees
        rows = dict(table_rows(page, ids.PEOPLE_BREAKDOWN)[1:])
        returned = [rows[t(g, lang)] for g in ("returned_idps", "returned_refugees")]
        assert returned == [t("no_data", lang)] * 2


@pytest.mark.browser
def test_ssr007_without_scripts_a_year_is_a_link(open_page):
    from playwright.sync_api import expect

    page, watch = open_page("?year=2018&lang=fr", java_script_enabled=False)
    expect(page.locator(f"#ssr-{ids.KPIS} .kpi").first.locator("dd").first).to_have_text(f"154{NNBSP}432")
    page.locator(f"#ssr-{ids.YEAR} a", has_text="2017").click()
    expect(page).to_have_url(re.compile(r"year=2017&lang=fr"))
    expect(page.locator(f"#ssr-{ids.KPIS} .kpi").first.locator("dd").first).to_have_text(f"84{NNBSP}081")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    watch.assert_clean()


@pytest.mark.browser
def test_ssr008_interactive_page_takes_over_on_the_same_selection(open_page, server):
    from playwright.sync_api import expect

    from tests.browser_support import scroll_to

    page, watch = open_page(None)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method != "GET" else None)
    page.goto(server.url + "/?year=2018&lang=fr")
    expect(page.locator(f"#{ids.SSR}")).to_have_count(0)
    expect(page.locator(f"#{ids.KPIS} .kpi").first.locator("dd").first).to_have_text(f"154{NNBSP}432")
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_have_text("Personnes relevant du HCR, 2018")
    # The layout already holds the address's selection: starting costs no callback request at all.
    scroll_to(page, ids.BUDGET_YEARS)  # drawn as it comes near the screen
    expect(page.locator(f"#{ids.BUDGET_YEARS} .point")).to_have_count(12)
    page.wait_for_function("() => document.documentElement.hasAttribute('data-years-kept')", timeout=60_000)
    assert posts == []
    watch.assert_clean()


def test_ssr009_downloads_are_links_without_scripts(client):
    page = first_view(client, "?year=2018&lang=fr")
    view = page[page.index(f'id="{ids.SSR}"') : page.index('id="react-entry-point"')]
    assert 'download="" href="/download/people.csv?year=2018&amp;lang=fr"' in view
    assert 'href="/download/workbook.xlsx?year=2018&amp;lang=fr"' in view


@pytest.mark.parametrize("query", ["?groups=none", "?year=2015&groups=none&lang=fr", "?year=2020&source=statistics"])
def test_ssr010_empty_views_render(client, query):
    page = first_view(client, query)
    assert f'id="{ids.SSR}"' in page


def test_ssr011_no_address_makes_the_page_fail(client):
    """Whatever the address holds, the first view answers 200 (the page and the layout request alike)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.sampled_from(["year", "lang", "groups", "source", "op", "donor_type", "donor", "sort", "x"])
    values = st.one_of(
        st.sampled_from(["none", "", "2019", "fr", "refugees,none", "statistics", "amount_desc", "%ZZ", "{}"]),
        st.text(max_size=30),
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(names, values), max_size=5))
    def check(pairs):
        from urllib.parse import urlencode

        query = "?" + urlencode(pairs)
        assert client.get("/" + query).status_code == 200
        assert client.get("/_dash-layout", headers={"Referer": "http://h/" + query}).status_code == 200

    check()


# Each drawn box's elements, by box, as the browser parses them: the first view's (in `html`) and the page's own.
# Both written the browser's way: styles as its CSS object model writes them (ssr.py writes "#deebf7", the
# page's element.style "rgb(222, 235, 247)"), and the first view's links within the page to the ids the first
# view gives its elements (ssr.PREFIX) back to the page's.
BOXES = """([html, boxes, prefix]) => {
  const written = (element) => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll("[style]").forEach((e) => e.setAttribute("style", e.style.cssText));
    copy.querySelectorAll('a[href^="#' + prefix + '"]').forEach((a) => {
      a.setAttribute("href", "#" + a.getAttribute("href").slice(1 + prefix.length));
    });
    return copy.innerHTML;
  };
  const first = new DOMParser().parseFromString(html, "text/html");
  return boxes.map((id) => [id, written(first.getElementById(prefix + id)), written(document.getElementById(id))]);
}"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ssr013_a_drawn_box_is_the_same_in_the_first_view_and_after_a_choice(open_page, lang):
    """The first view's boxes (ssr.py) and the page's after a choice (the answer's HTML, which
    assets/dashboard.js puts in place) come from one renderer (dashboard/markup.py): the same elements,
    attributes and text, as the browser parses them."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    from dashboard import ssr
    from tests.browser_support import interactive

    page, watch = open_page(f"?year=2018&lang={lang}")
    interactive(page)
    page.locator(f"#{ids.YEAR} label", has_text="2021").click()  # a year with contributions: the feed's table
    expect(page).to_have_url(re.compile(r"year=2021"))
    expect(page.locator(f"#{ids.title_of(ids.PEOPLE)}")).to_contain_text("2021")
    first_html = page.request.get(page.url).text()
    assert f'id="{ssr.PREFIX}{ids.FEED_TABLE}"' in first_html
    args = [first_html, list(ids.DRAWN), ssr.PREFIX]
    # The boxes are drawn as the answer comes: then the same, or the differences named below.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"(args) => ({BOXES})(args).every(([, a, b]) => a === b)", arg=args, timeout=20_000)
    boxes = page.evaluate(BOXES, args)
    assert [(box, first, drawn) for box, first, drawn in boxes if first != drawn] == []
    assert all(first for _, first, _ in boxes)  # 2021: every box has content, the feed's table included
    watch.assert_clean()


class _Parsed(HTMLParser):
    """The elements and the text of an HTML fragment, as a browser's parser finds them."""

    def __init__(self, fragment: str):
        super().__init__()
        self.tags: list[str] = []
        self.words: list[str] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.words.append(data)


def test_ssr014_markup_in_a_donor_name_reaches_a_drawn_box_as_text(data_copy):
    """A donor's name holding markup reaches the feed's drawn box as text: in the HTML its store carries to the
    browser (an answer to a choice), and in the first view, both escaped once by markup.py."""
    import orjson

    from dashboard import answers, data, layout, ssr
    from dashboard.selection import from_query

    name = '<img src=x onerror="window.hacked=1">Italy'
    contributions = data_copy / "contributions.csv"
    text = contributions.read_text(encoding="utf-8")
    contributions.write_text(
        text.replace("2021-04-16,Italy,", '2021-04-16,"<img src=x onerror=""window.hacked=1"">Italy",', 1)
    )
    ds = data.load(data_copy)
    sent = orjson.loads(answers.answer_bytes(ds, "year=2021"))["views"][ids.content_of(ids.FEED_TABLE)]["data"]
    sel = from_query(ds, "year=2021")[0]
    page = ssr.page_html(ds, sel, layout.build_layout(ds, sel))
    first = page[page.index(f'id="{ssr.PREFIX}{ids.FEED_TABLE}"') :]
    for fragment in (sent, first):
        parsed = _Parsed(fragment)
        assert name in parsed.words
        assert "img" not in parsed.tags
        assert "&lt;img src=x onerror=&quot;window.hacked=1&quot;&gt;Italy" in fragment
