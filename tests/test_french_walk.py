"""The whole French page, walked in headless Chromium, shows no English text the page is known to use.

The English texts are not hand-picked; `english_texts()` derives them from what the page draws on:

- the English side of the catalogue (`catalogue.TEXT` and its `PLURAL` forms, plotly's and Leaflet's control
  texts in `i18n.PLOTLY_FR` / `i18n.LEAFLET`) for every entry whose English differs from its French. An
  entry is cut at its `{placeholders}`; a literal fragment is kept when it has at least two words or eight
  characters, so that words French shares ("Budget", "Total", "Source") do not count;
- every English cell of data/*.csv whose column has a French twin (`x`/`x_fr` or `x_en`/`x_fr`: source
  titles, citations and licences, office and region names, key-figure labels, operation names) when the
  French cell differs; these are names and titles, kept whole whatever their length;
- every donor's printed name in data/contributions.csv, and the name for private donors, when
  `names.donor_name` gives another name in French.

A candidate that occurs inside any French text of the same catalog or data (a proper name both languages
share) is dropped. The walk matches candidates as whole words in their own case (codes such as `refugees`
in a download are codes, not English text), whatever the kind of space between words.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import catalogue, i18n, ids, names
from dashboard.views import VIEWS, mapview, people
from tests.browser_support import interactive, scroll_to

expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
EDGE = " .,:;!?–—"
MIN_CHARS = 8
MIN_WORDS = 2


def fragments(english: str) -> list[str]:
    """The literal parts of a catalog text long enough to be English only ('{n} contributions shown, total
    {amount}' -> ['contributions shown, total'])."""
    kept = []
    for part in PLACEHOLDER.split(english):
        part = part.strip(EDGE)
        if part.count("(") != part.count(")"):
            part = part.strip("()").strip(EDGE)
        if len(part.split()) >= MIN_WORDS or len(part) >= MIN_CHARS:
            kept.append(part)
    return kept


def _catalog_pairs() -> list[tuple[str, str]]:
    pairs = list(catalogue.TEXT.values())
    for english_forms, french_forms in catalogue.PLURAL.values():
        pairs += [(text, french_forms.get(form, "")) for form, text in english_forms.items()]
    pairs += list(i18n.PLOTLY_FR.items())
    pairs += [(i18n.LEAFLET["en"][k], i18n.LEAFLET["fr"][k]) for k in i18n.LEAFLET["en"]]
    return pairs


def _data_pairs() -> list[tuple[str, str]]:
    """(English cell, French cell) for every data/*.csv column with a French twin."""
    pairs = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        columns = rows[0].keys() if rows else ()
        for french in (c for c in columns if c.endswith("_fr")):
            stem = french[: -len("_fr")]
            english = next((c for c in (stem, f"{stem}_en") if c in columns), None)
            if english:
                pairs += [(row[english], row[french]) for row in rows]
    return pairs


def _donor_pairs() -> list[tuple[str, str]]:
    with (DATA / "contributions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pairs = [(names.donor_name(row, None, "en"), names.donor_name(row, None, "fr")) for row in rows]
    return pairs + [(names.donor_name(names.PRIVATE, None, "en"), names.donor_name(names.PRIVATE, None, "fr"))]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pattern(text: str) -> re.Pattern:
    """Whole words in the text's own case, any kind of space between them."""
    body = r"\s+".join(re.escape(word) for word in text.split())
    return re.compile(rf"(?<!\w){body}(?!\w)")


@cache
def english_texts() -> tuple[str, ...]:
    """English texts the French page must not show, derived as the module docstring says."""
    catalog, data = _catalog_pairs(), _data_pairs() + _donor_pairs()
    candidates = [f for en, fr in catalog if en and en != fr for f in fragments(en)]
    candidates += [_squash(en) for en, fr in data if en and en != fr]
    french = "\n".join(fr for _, fr in catalog + data if fr)
    return tuple(c for c in dict.fromkeys(candidates) if not _pattern(c).search(french))


def english_found(texts: list[tuple[str, str]]) -> dict[str, list[str]]:
    """English text -> where it was seen, for texts given as (where, text); where is 'step | kind', and a
    place seen again at a later step (the same kind, the same context) is listed once."""
    found: dict[str, dict[tuple[str, str], str]] = {}
    for english in english_texts():
        pattern = _pattern(english)
        for where, text in texts:
            text = _squash(text or "")
            m = pattern.search(text)
            if m:
                context = text[max(m.start() - 30, 0) : m.end() + 30]
                step, _, kind = where.rpartition(" | ")
                places = found.setdefault(english, {})
                places.setdefault((kind, context), f"{kind} ({step}): …{context}…")
    return {english: list(places.values()) for english, places in found.items()}


def test_frwalk001_english_list_is_derived_from_the_catalog_and_data():
    texts = english_texts()
    assert "Show the figures as a table" in texts
    assert "contributions shown, total" in texts  # cut at its placeholders
    assert "Operation Dashboard (UNHCR)" in texts  # the tab title's literal part
    assert "UNHCR terms of use" in texts  # sources.csv licence, French twin licence_fr
    assert "Timbuktu" in texts  # offices.csv office / office_fr
    assert "Republic of Korea" in texts and "United Kingdom of Great Britain and Northern Ireland" in texts
    assert "Budget" not in texts and "Total" not in texts  # the same word in French
    assert "Mali" not in texts and "CC BY 4.0" not in texts  # the same in both columns
    assert "Refugee Data Finder" not in texts  # inside the French title too
    assert len(texts) > 100
    found = english_found([("page", "Afficher les chiffres sous forme de tableau. Tombouctou, Total. Corée")])
    assert found == {}
    found = english_found([("page", "Budget 2019 : 17,3 M $US — Show  the\u202ffigures as a table; refugees")])
    assert list(found) == ["Show the figures as a table"]


@pytest.fixture
def visit(open_page):
    """visit('?lang=fr&year=2019') -> (page, watch) with the interactive page drawn."""

    def visit_(query: str):
        page, watch = open_page(query, locale="fr-FR", accept_downloads=True)
        interactive(page)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        return page, watch

    return visit_


# Every text a person meets: the tab title, the rendered text, chart texts line by line (plotly draws a
# label's <br> as separate tspans), and the attributes read as tooltips or by screen readers. Text marked
# as being in another language (lang="en", as WCAG asks for "Language / Langue") is left out.
COLLECT = """() => {
  let text = document.body.innerText;
  for (const el of document.querySelectorAll("body [lang]:not([lang|='fr'])")) {
    text = text.replace(el.innerText, " ");
  }
  const out = [["tab title", document.title], ["page text", text]];
  for (const t of document.querySelectorAll("svg text")) {
    const lines = t.querySelectorAll("tspan.line");
    out.push(["chart text", lines.length ? Array.from(lines, (l) => l.textContent).join(" ") : t.textContent]);
  }
  for (const attr of ["title", "aria-label", "alt", "data-title", "placeholder"]) {
    for (const el of document.querySelectorAll("[" + attr + "]")) {
      out.push([attr + " of <" + el.tagName.toLowerCase() + (el.id ? " id=" + el.id : "") + ">", el.getAttribute(attr)]);
    }
  }
  return out;
}"""


def _snapshot(page, step: str) -> list[tuple[str, str]]:
    return [(f"{step} | {where}", text) for where, text in page.evaluate(COLLECT)]


def _largest_bars(ds, sel) -> dict[str, int]:
    """Graph id -> index of the largest bar of its first trace, from the views' own figures (charts
    without a value are left out)."""
    charts = {}
    for view in VIEWS:
        for (cid, prop), figure in view.fill(ds, sel).items():
            traces = figure["data"] if prop == "figure" else []
            if traces:
                first = traces[0]
                values = first.get("x") if first.get("orientation") == "h" else first.get("y")
                sized = [(v, i) for i, v in enumerate(values or ()) if v]
                if sized:
                    charts[cid] = max(sized)[1]
    return charts


def _walk_map(page, ds, sel, texts: list) -> None:
    """Click every region, the figure point and every office; hover a region for its tooltip."""
    st = mapview.static(ds, sel.operation)
    details = page.locator(f"#{ids.MAP_DETAILS}")
    layers = []
    for selector, geojson in (
        ("path.map-region", st.regions),
        ("path.map-point", st.points),
        (".leaflet-marker-icon.office-icon", st.offices),
    ):
        locator = page.locator(f"#{ids.MAP} {selector}")
        expect(locator).to_have_count(len(geojson["features"]))
        layers += locator.all()
    assert len(layers) > 10
    for n, layer in enumerate(layers):
        before = details.text_content()  # what not_to_have_text compares (innerText differs at a <br>)
        # A DOM click on the layer itself: the centre of a region's box may lie in its neighbour.
        layer.dispatch_event("click")
        expect(page.locator(".leaflet-popup-content")).to_have_count(1)
        expect(details).not_to_have_text(before)
        texts += _snapshot(page, f"map layer {n} clicked")
    page.locator(f"#{ids.MAP} path.map-region").first.dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip:not(.region-name)")).to_be_visible()  # not the region names
    texts += _snapshot(page, "map region hovered")


def _walk_charts(page, ds, sel, texts: list) -> None:
    """Hover the largest bar of every chart that has one, so its hover label is drawn."""
    charts = _largest_bars(ds, sel)
    assert ids.PEOPLE_TREND in charts and ids.BUDGET_YEARS in charts
    for graph_id, index in charts.items():
        scroll_to(page, graph_id)  # drawn as it comes near the screen
        page.locator(f"#{graph_id} .trace.bars").first.locator(".point").nth(index).hover(force=True)
        expect(page.locator(f"#{graph_id} .hoverlayer .hovertext")).to_be_visible()
        texts += _snapshot(page, f"{graph_id} hovered")


WALKS = ["?lang=fr&year=2019", "?lang=fr&year=2021", "?lang=fr&year=2024", "?lang=fr&year=2019&source=statistics"]


@pytest.mark.browser
@pytest.mark.parametrize("query", WALKS)
def test_frwalk002_french_page_shows_no_english(visit, ds, select, query):
    sel = select(query.lstrip("?"))
    page, watch = visit(query)
    closed = page.locator("details:not([open]) > summary:visible")
    for _ in range(closed.count()):
        closed.first.click()
    expect(page.locator("details.table-alt:not([open])")).to_have_count(0)
    expect(page.locator("details.table-alt table").first).to_be_visible()
    texts = _snapshot(page, "tables open")
    _walk_map(page, ds, sel, texts)
    _walk_charts(page, ds, sel, texts)
    found = english_found(texts)
    report = "\n".join(f"{english!r} in {place}" for english, places in found.items() for place in places)
    if found:
        pytest.fail(f"English on the French page {query}:\n{report}", pytrace=False)
    watch.assert_clean()


@pytest.mark.browser
def test_frwalk003_people_csv_in_french(visit, ds, select):
    page, watch = visit("?lang=fr&year=2019")
    with page.expect_download() as info:
        page.locator(f"#{ids.download_of(ids.PEOPLE)}").click()
    raw = Path(info.value.path()).read_bytes()
    text = raw.decode("utf-8-sig")
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    columns = people.download(ds, select("lang=fr&year=2019")).columns
    french_header = [i18n.column(c, "fr") for c in columns]
    header = next(csv.reader([header], delimiter=";"))
    found = english_found([(f"line {n} | CSV", line) for n, line in enumerate(text.splitlines(), 1)])
    problems = [
        *([] if raw.startswith(b"\xef\xbb\xbf") else ["no UTF-8 byte order mark (French Excel misreads accents)"]),
        *([] if header == french_header else [f"header {header!r}, not {french_header!r}"]),
        *[f"English {english!r} in {places[0]}" for english, places in found.items()],
    ]
    if problems:
        pytest.fail("The French CSV of the people card:\n" + "\n".join(problems), pytrace=False)
    watch.assert_clean()
