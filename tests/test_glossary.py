"""The glossary: an entry for every term the data use, in both languages, French typography, own words."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from dashboard import glossary
from dashboard.data import GROUPS, PILLARS
from tests.conftest import SEEDS, needs_seeds

ROOT = Path(__file__).resolve().parent.parent
# A French high punctuation mark must follow a narrow no-break space; guillemets hold one inside.
FRENCH_SPACING = re.compile(r"(?<!\u202f)[:;!?»]|«(?!\u202f)")


def _all_texts(lang: str, ds) -> list[str]:
    texts = [
        text for _, title, definition in glossary.glossary_section(lang, ds, "MLI") for text in (title, definition)
    ]
    return texts + [text for key in glossary.TERMS for text in glossary.term(key, lang)]


def test_glossary001_every_group_and_pillar_of_the_data_has_an_entry(ds):
    used = set(ds.population_groups["group"]) | set(GROUPS)
    pillars = set(ds.budget["pillar"]) - {"total"}
    assert pillars == set(PILLARS)
    for key in sorted(used | pillars | {"implementation_rate", "no_data", "not_available", "src_page"}):
        en, fr = glossary.term(key, "en"), glossary.term(key, "fr")
        assert all(len(text) > 3 for text in (*en, *fr)), key
        assert en[1] != fr[1], key


def test_glossary002_french_has_a_narrow_space_before_high_punctuation(ds):
    for text in _all_texts("fr", ds):
        bad = [text[max(0, m.start() - 15) : m.end() + 5] for m in FRENCH_SPACING.finditer(text)]
        assert bad == [], bad


def test_glossary003_english_has_no_french_spacing(ds):
    for text in _all_texts("en", ds):
        assert "\u202f" not in text and " :" not in text, text


def test_glossary004_anchors_are_unique_html_ids_in_term_order(ds):
    section = glossary.glossary_section("en")
    anchors = [a for a, _, _ in section]
    assert anchors == [glossary.anchor(k) for k in glossary.TERMS]
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"gloss-[a-z0-9]+(-[a-z0-9]+)*", a) for a in anchors)
    assert glossary.anchor("returned_idps") == "gloss-returned-idps"
    with pytest.raises(KeyError):
        glossary.anchor("nonsense")


def test_glossary005_unknown_language_falls_back_to_english():
    assert glossary.term("refugees", "de") == glossary.term("refugees", "en")
    assert glossary.term("p4", "fr")[0] == "Projets pour les déplacés internes"


def _page_csv_sum(year: int) -> dict[str, int]:
    with (ROOT / "data" / "population_groups.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == str(year)]
    return {d: sum(int(r["value"]) for r in rows if r["dataset"] == d) for d in ("page", "statistics")}


def test_glossary006_source_example_quotes_the_data_files(ds):
    """The gap between the sources is computed: its totals are the sums of the rows in the CSV file."""
    sums = _page_csv_sum(2019)
    entry = dict((a, d) for a, _, d in glossary.glossary_section("en", ds, "MLI"))[glossary.anchor("sources_differ")]
    assert f"{sums['page']:,} on the operation page" in entry
    assert f"{sums['statistics']:,} in the statistics series" in entry
    assert "“Returned refugees”: 5,249 against 274" in entry
    fr = dict((a, d) for a, _, d in glossary.glossary_section("fr", ds, "MLI"))[glossary.anchor("sources_differ")]
    assert f"{sums['page']:,}".replace(",", "\u202f") in fr
    assert glossary.term("sources_differ", "en")[1] in entry


def test_glossary007_mid_year_note_matches_the_data(ds):
    """The entry says the mid-year page has no returnee lines: true of the data, unlike the end-2019 page."""
    pg = ds.population_groups
    page = pg[pg["dataset"] == "page"]
    mid = page[page["as_of"].astype(str).str.endswith("-06-30")]
    assert not mid.empty
    assert not {"returned_refugees", "returned_idps"} & set(mid["group"])
    assert {"returned_refugees", "returned_idps"} <= set(page[page["year"] == 2019]["group"])


@needs_seeds
def test_glossary008_written_in_our_own_words(ds):
    """No run of 6 words of a glossary entry appears in the UNHCR pages the data came from."""
    words = re.compile(r"[a-zà-ÿ’']+")
    seed_text = " ".join(words.findall(" ".join(p.read_text(encoding="utf-8").lower() for p in SEEDS.iterdir())))
    for lang in ("en", "fr"):
        for _, _, definition in glossary.glossary_section(lang):
            w = words.findall(definition.lower())
            for i in range(len(w) - 5):
                assert " ".join(w[i : i + 6]) not in seed_text, (lang, " ".join(w[i : i + 6]))


def test_glossary009_date_lines_per_view(ds, view_dates):
    with (ROOT / "data" / "region_figures.csv").open(encoding="utf-8") as f:
        (region_day,) = {r["as_of"] for r in csv.DictReader(f)}
    assert region_day == "2024-01-31"
    y2019 = view_dates(2019, "page")
    assert glossary.dates_lines(ds, y2019["people"], "en") == [
        "People of concern: as of 31 Dec 2019",
        "UNHCR Global Focus, Mali operation page (2021), published 2021",
    ]
    assert glossary.dates_lines(ds, y2019["map"], "en")[:2] == [
        "Refugees and asylum-seekers by region: as of 31 Jan 2024",
        "UNHCR offices: as of Feb 2021",
    ]
    assert glossary.dates_lines(ds, y2019["budget"], "fr")[:2] == [
        "Budget et dépenses\u202f: exercice clos le 31 déc. 2019",
        "Toutes les années affichées\u202f: de 2016 à 2021",
    ]
    y2021 = view_dates(2021, "statistics")
    assert glossary.dates_lines(ds, y2021["feed"], "en")[0] == "Contributions listed: from 30 Mar 2021 to 16 Apr 2021"
    assert (
        glossary.dates_lines(ds, y2021["people"], "fr")[1] == "HCR, Refugee Data Finder, publication\u202f: déc. 2025"
    )
    y2024 = view_dates(2024, "page")
    assert "Population totale du pays\u202f: au 1er juil. 2024" in glossary.dates_lines(ds, y2024["map"], "fr")
    regions = [r for r in y2024["map"].references if r.what == "regions"][0]
    assert glossary.reference_text(regions, "fr", with_what=False) == "au 31 janv. 2024"


def test_glossary010_date_lines_and_share_texts_follow_french_typography(ds, view_dates):
    texts = list(glossary.share_texts("fr").values())
    for year in range(2014, 2026):
        for source in ("page", "statistics"):
            for view in view_dates(year, source).values():
                texts += glossary.dates_lines(ds, view, "fr")
    assert len(texts) > 100
    for text in texts:
        assert FRENCH_SPACING.search(text) is None, text
    assert set(glossary.share_texts("en")) == {"label", "copied"}


def test_glossary011_labels_point_at_existing_terms():
    from dashboard.catalogue import TEXT

    assert set(glossary.LABEL_TERMS) <= set(TEXT)
    assert set(glossary.LABEL_TERMS.values()) <= set(glossary.TERMS)
    assert glossary.anchor(glossary.LABEL_TERMS["kpi_rate"]) == "gloss-implementation-rate"


def _csv_rows(name: str) -> list[dict]:
    with (ROOT / "data" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_glossary012_country_population_lines_2024(ds):
    (population,) = [int(r["value"]) for r in _csv_rows("country_population.csv") if r["year"] == "2024"]
    rows = [r for r in _csv_rows("population_groups.csv") if r["dataset"] == "page" and r["year"] == "2024"]
    page = {r["group"]: int(r["value"]) for r in rows}
    people = sum(page.values())
    per = round(people * 1000 / population, 1)
    share = round(page["idps"] * 100 / people, 1)
    assert glossary.context_lines(ds, "MLI", 2024, "page", GROUPS, "en") == [
        f"Total country population: {population:,} (as of 1 Jul 2024)",
        f"{per} people of concern per 1,000 inhabitants",
        f"IDPs: {share}% of people of concern",
    ]
    fr = glossary.context_lines(ds, "MLI", 2024, "page", GROUPS, "fr")
    assert fr[0] == f"Population totale du pays\u202f: {population:,} (au 1er juil. 2024)".replace(",", "\u202f")
    assert fr[1].startswith(str(per).replace(".", ","))
    assert all(FRENCH_SPACING.search(line) is None for line in fr)
    assert glossary.context_lines(ds, "MLI", 2019, "page", GROUPS, "en") == []
    assert len(glossary.context_lines(ds, "MLI", 2024, "page", ("refugees",), "en")) == 2  # no IDPs, no share


def test_glossary013_source_difference_note(ds):
    rows = _csv_rows("population_groups.csv")

    def total(dataset, year):
        return sum(int(r["value"]) for r in rows if r["dataset"] == dataset and r["year"] == str(year))

    note = glossary.source_difference_note(ds, "MLI", 2019, "page", GROUPS, "en")
    gap = total("page", 2019) - total("statistics", 2019)
    assert note == (
        f"The UNHCR statistics series also has figures for 2019: {total('statistics', 2019):,} (as of 31 Dec 2019), "
        f"{gap:,} fewer than the operation page. Widest gap: Returned refugees, 5,249 against 274."
    )
    reverse = glossary.source_difference_note(ds, "MLI", 2019, "statistics", GROUPS, "en")
    assert f"{total('page', 2019):,} (as of 31 Dec 2019), {gap:,} more than" in reverse
    assert reverse.endswith("274 against 5,249.")
    mid = glossary.source_difference_note(ds, "MLI", 2024, "page", GROUPS, "fr")
    assert (
        "(au 31 déc. 2024)" in mid
        and f"soit {total('statistics', 2024) - total('page', 2024):,} de plus".replace(",", "\u202f") in mid
    )
    assert mid.endswith("ne donne pas de chiffre pour\u202f: Déplacés internes rentrés, Réfugiés rapatriés.")
    assert FRENCH_SPACING.search(mid) is None
    assert glossary.source_difference_note(ds, "MLI", 2021, "page", GROUPS, "en") is None
    assert glossary.source_difference_note(ds, "MLI", 2019, "page", ("idps",), "en").endswith("the same total.")
