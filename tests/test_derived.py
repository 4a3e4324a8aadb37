"""Derived figures against the data files themselves (read here with the csv module, not through the loader),
and the seeds they were taken from when they are beside the checkout."""

from __future__ import annotations

import csv
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import derived, rounding
from dashboard.collation import sort_key
from dashboard.data import GROUPS
from tests.conftest import SEEDS, needs_seeds

ROOT = Path(__file__).resolve().parent.parent


def rows(name: str) -> list[dict]:
    with (ROOT / "data" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def group_values(dataset: str, year: int) -> dict[str, int]:
    return {
        r["group"]: int(r["value"])
        for r in rows("population_groups.csv")
        if r["dataset"] == dataset and r["year"] == str(year)
    }


def seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))


def test_derived001_country_population_is_the_file_row(ds):
    (row,) = [r for r in rows("country_population.csv") if r["year"] == "2024"]
    got = derived.country_population(ds, "MLI", 2024)
    assert got == (int(row["value"]), row["as_of"], row["source"])
    assert got.value == 24015789
    assert derived.country_population(ds, "MLI", 2019) is None


@needs_seeds
def test_derived002_country_population_and_2019_totals_match_the_seeds(ds):
    text = seed_text()
    assert f"{derived.country_population(ds, 'MLI', 2024).value:,}" in text.splitlines()
    diff = derived.source_difference(ds, "MLI", 2019, GROUPS)
    assert f"2019 {diff.page.total:,}" in text
    assert f'["Returned refugees",{diff.groups[GROUPS.index("returned_refugees")].page}]' in text


def test_derived003_per_thousand_and_idp_share_2024(ds):
    page = group_values("page", 2024)
    people = sum(page.values())
    population = derived.country_population(ds, "MLI", 2024).value
    per = derived.per_thousand(ds, "MLI", 2024, "page")
    assert (per.numerator, per.denominator) == (people, population)
    assert per.value == (Decimal(people * 1000) / Decimal(population)).quantize(Decimal("0.1"))
    assert str(per.value) == "17.8"
    share = derived.idp_share(ds, "MLI", 2024, "page")
    assert (share.numerator, share.denominator) == (page["idps"], people)
    assert str(share.value) == "0.776"
    assert derived.per_thousand(ds, "MLI", 2019, "page") is None  # no country population for 2019
    assert derived.idp_share(ds, "MLI", 2024, "page", ("refugees",)) is None  # IDPs not selected


def test_derived004_source_difference_2019(ds):
    page, stats = group_values("page", 2019), group_values("statistics", 2019)
    (page_total,) = [int(r["value"]) for r in rows("population_totals.csv") if r["year"] == "2019"]
    diff = derived.source_difference(ds, "MLI", 2019, GROUPS)
    assert diff.page.total == page_total == sum(page.values()) == 275779
    assert diff.statistics.total == sum(stats.values()) == 270802
    assert diff.difference == page_total - sum(stats.values())
    by_group = {g.group: g for g in diff.groups}
    assert (by_group["returned_refugees"].page, by_group["returned_refugees"].statistics) == (5249, 274)
    for g in GROUPS:
        expected = page[g] - stats[g] if g in page and g in stats else None
        assert by_group[g].difference == expected, g
    assert by_group["stateless"] == ("stateless", None, 0, None)  # no data on the page is not a zero
    assert (diff.page.as_of, diff.statistics.as_of) == ("2019-12-31", "2019-12-31")


def test_derived005_source_difference_only_for_years_in_both(ds):
    all_rows = rows("population_groups.csv") + rows("population_totals.csv")
    both = {int(r["year"]) for r in all_rows if r["dataset"] == "page"}
    both &= {int(r["year"]) for r in all_rows if r["dataset"] == "statistics"}
    assert derived.years_in_both_sources(ds, "MLI") == tuple(sorted(both))
    assert derived.source_difference(ds, "MLI", 2021, GROUPS) is None
    mid = derived.source_difference(ds, "MLI", 2024, GROUPS)
    assert (mid.page.as_of, mid.statistics.as_of) == ("2024-06-30", "2024-12-31")
    total_only = derived.source_difference(ds, "MLI", 2018, GROUPS)
    assert total_only.page.only_total and total_only.page.total == 154432
    assert all(g.page is None for g in total_only.groups)
    # a total cannot be split: with one group, the page has no figure for 2018
    assert derived.source_difference(ds, "MLI", 2018, ("idps",)).page.total is None


def test_derived006_selected_groups_only(ds):
    stats = group_values("statistics", 2019)
    diff = derived.source_difference(ds, "MLI", 2019, ("refugees", "asylum_seekers"))
    assert diff.statistics.total == stats["refugees"] + stats["asylum_seekers"]
    assert [g.group for g in diff.groups] == ["refugees", "asylum_seekers"]


def test_derived007_exact_decimals_have_no_float_noise(ds):
    budget = {(r["year"], r["kind"], r["pillar"]): r["usd_millions"] for r in rows("budget.csv")}
    assert budget[("2019", "budget", "p3")] == "7.449999490000001"
    lines = {(str(b.year), b.kind, b.pillar): b for b in derived.budget_lines(ds, "MLI")}
    assert set(lines) == set(budget)
    assert str(lines[("2019", "budget", "p3")].usd) == "7449999.49"
    assert str(lines[("2019", "expenditure", "p4")].usd) == "1262029.44"
    for key, text in budget.items():
        expected = None if text == "" else (Decimal(text) * 1_000_000).quantize(Decimal("0.01"))
        assert lines[key].usd == expected, key
    assert rounding.exact(float("nan"), 2) is None and rounding.exact(None, 2) is None
    # a float rounds as written, not as stored in binary (2.675 is 2.67499999… in binary)
    assert (rounding.exact(2.675, 2), rounding.exact(1.005, 2)) == (Decimal("2.68"), Decimal("1.01"))


def test_derived008_implementation_rate_from_the_totals(ds):
    totals = {(r["year"], r["kind"]): r["usd_millions"] for r in rows("budget.csv") if r["pillar"] == "total"}
    for year in range(2016, 2022):
        e, b = totals[(str(year), "expenditure")], totals[(str(year), "budget")]
        expected = None if not e or not b else (Decimal(e) / Decimal(b)).quantize(Decimal("0.001"))
        assert derived.implementation_rate(ds, "MLI", year) == expected, year
    assert str(derived.implementation_rate(ds, "MLI", 2019)) == "0.756"
    assert derived.implementation_rate(ds, "MLI", 2020) is None


@given(st.decimals(min_value=0, max_value=10**5, places=8, allow_nan=False))
def test_derived009_usd_keeps_every_cent_of_the_source(value):
    """Any figure up to USD 100 billion with 8 decimals of millions survives a float round trip to the exact cent."""
    assert derived.usd(float(value)) == (value * 1_000_000).quantize(Decimal("0.01"))


def test_derived010_reference_dates_per_view(view_dates):
    dates = view_dates(2019, "page")
    assert set(dates) == {"people", "map", "budget", "keyfig", "feed"}
    assert dates["people"].references == (("population", "day", "2019-12-31", None),)
    regions_day = {r["as_of"] for r in rows("region_figures.csv")}
    offices_month = {r["as_of"] for r in rows("offices.csv")}
    assert regions_day == {"2024-01-31"} and offices_month == {"2021-02"}
    refs = {r.what: r for r in dates["map"].references}
    assert refs["regions"].start == "2024-01-31" and refs["offices"].start == "2021-02"
    assert dates["budget"].references[0] == ("budget", "year_end", "2019-12-31", None)
    assert dates["budget"].references[1] == ("budget_years", "years", "2016", "2021")
    assert dates["keyfig"].references == (("year_end_result", "year_end", "2019-12-31", None),)
    assert dates["feed"].references == ()  # no contributions listed for 2019
    d2021 = view_dates(2021, "page")
    days = sorted(r["date"] for r in rows("contributions.csv") if r["date"].startswith("2021"))
    assert d2021["feed"].references == (("contributions", "range", days[0], days[-1]),)
    assert d2021["keyfig"].references == (("planning_target", "plan", "2021", None),)
    mid = view_dates(2024, "page")
    assert mid["people"].references[0].start == "2024-06-30"
    assert ("country_population", "day", "2024-07-01", None) in mid["map"].references


def test_derived011_publication_dates_come_from_sources_csv(ds, view_dates):
    published = {r["source"]: r["date"] or None for r in rows("sources.csv")}
    dates = view_dates(2019, "statistics")
    assert dates["people"].published == (("unhcr_refugee_statistics", published["unhcr_refugee_statistics"]),)
    for view in dates.values():
        for p in view.published:
            assert p.date == published[p.source]
    assert derived.published(ds, ["natural_earth"]) == (("natural_earth", None),)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_collation001_accents_do_not_push_names_to_the_end(ds, lang):
    regions = [r["region_en" if lang == "en" else "region_fr"] for r in rows("region_figures.csv")]
    ordered = sorted(regions, key=lambda n: sort_key(n, lang))
    assert ordered.index("Ménaka") < ordered.index("Mopti")
    assert sorted(["Ségou", "Sikasso", "Mopti", "Ménaka", "Kayes"], key=lambda n: sort_key(n, lang)) == [
        "Kayes",
        "Ménaka",
        "Mopti",
        "Ségou",
        "Sikasso",
    ]


def test_collation002_accents_then_case_break_ties():
    words = ["côté", "Cote", "côte", "coté", "cote", "Œuvre", "oeuvre", "Ofi"]
    shuffled = words[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=lambda n: sort_key(n, "fr")) == [
        "cote",
        "Cote",
        "coté",
        "côte",
        "côté",
        "oeuvre",
        "Œuvre",
        "Ofi",
    ]
    assert sort_key("Me\u0301naka", "en") == sort_key("Ménaka", "en")  # decomposed input sorts the same
    with pytest.raises(ValueError, match="unknown language"):
        sort_key("Mopti", "de")
    assert re.fullmatch(r"[a-z]+", sort_key("Ménaka", "fr")[0])


def test_derived012_trend_series_for_exports(ds):
    """Every year the trend chart draws, with its date; a year given only as a total keeps it."""
    trend = derived.people_trend(ds, "MLI", "statistics")
    years = [t.year for t in trend]
    assert years == list(range(years[0], years[-1] + 1))
    for t in trend:
        values = group_values("statistics", t.year)
        assert t.total == (sum(values.values()) if values else None), t.year
    page = {t.year: t for t in derived.people_trend(ds, "MLI", "page")}
    totals = {int(r["year"]): int(r["value"]) for r in rows("population_totals.csv")}
    assert {y: page[y].total for y in totals} == totals
    assert page[2024].as_of == "2024-06-30" and page[2024].total == sum(group_values("page", 2024).values())
    assert page[2021].total is None


def test_derived013_budget_years_in_cents_with_rates(ds):
    totals = {(int(r["year"]), r["kind"]): r["usd_millions"] for r in rows("budget.csv") if r["pillar"] == "total"}
    got = derived.budget_years(ds, "MLI")
    assert [b.year for b in got] == sorted({y for y, _ in totals})
    for b in got:
        for kind in ("budget", "expenditure"):
            text = totals[(b.year, kind)]
            expected = (Decimal(text) * 1_000_000).quantize(Decimal("0.01")) if text else None
            assert getattr(b, kind) == expected, (b.year, kind)
        assert b.rate == derived.implementation_rate(ds, "MLI", b.year)
    assert str(got[3].budget) == "17332249.68" and str(got[3].rate) == "0.756"
