"""Figures derived from the dataset, never typed: people of concern and their change, ratios, the gap between
the two population sources, budget amounts in dollars and cents and implementation rates, and the dates
figures refer to.

Everything here is a pure function of a `Dataset` (and a selection's plain values): each figure has one rule,
here, and every view, the first view, download and workbook use it. Amounts and rates are Decimals rounded
once, by the rule in `rounding` (half-up), to the precision they are stated at.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from .data import DATASETS, GROUPS, PILLARS, Dataset, rows_of
from .rounding import decimal, exact
from .selection import operation_groups, operation_years

# Places each kind of figure is given to: the precision of its source.
USD_PLACES = 2  # budgets are published in USD millions with 8 decimals: whole cents
RATE_PLACES = 3  # a share as a fraction: 0.756 is 75.6%
CHANGE_PLACES = 2  # a change against the previous year, shown in whole percent: 0.79 is +79%
PER_THOUSAND_PLACES = 1


def usd(musd) -> Decimal | None:
    """USD millions (as budget.csv gives them) in dollars and cents: 7.449999490000001 -> 7449999.49."""
    millions = decimal(musd)
    return None if millions is None else exact(millions.scaleb(6), USD_PLACES)


def ratio(numerator, denominator, places: int = RATE_PLACES) -> Decimal | None:
    """numerator / denominator in exact decimals; None when either is missing or the denominator is zero."""
    num, den = decimal(numerator), decimal(denominator)
    if num is None or den is None or den == 0:
        return None
    return exact(num / den, places)


class Dated(NamedTuple):
    """One figure with the day it refers to (ISO text) and its source id."""

    value: int
    as_of: str
    source: str


class SourceTotal(NamedTuple):
    """People of concern in one source for one year and the selected `groups`. `total` None: no data for them.

    `by_group` holds the groups the source gives for that year (a real 0 included, an absent group left
    out; read-only, as it is shared by every caller); `only_total` when the source gives the year's total
    without a breakdown.
    """

    dataset: str
    year: int
    total: int | None
    as_of: str | None
    by_group: MappingProxyType
    only_total: bool
    sources: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def shown(self) -> tuple[tuple[str, int | None], ...]:
        """Each selected group and its figure (None: the source gives none)."""
        return tuple((g, self.by_group.get(g)) for g in self.groups)

    @property
    def missing(self) -> tuple[str, ...]:
        """The selected groups a year with a breakdown leaves out: its total does not count them."""
        return tuple(g for g, v in self.shown if v is None) if self.total is not None and not self.only_total else ()


class GroupDifference(NamedTuple):
    """One group in both sources; `difference` = page - statistics, None when either has no figure."""

    group: str
    page: int | None
    statistics: int | None
    difference: int | None


class SourceDifference(NamedTuple):
    """Both sources for one year; `difference` = page total - statistics total (None if either is missing)."""

    year: int
    page: SourceTotal
    statistics: SourceTotal
    difference: int | None
    groups: tuple[GroupDifference, ...]


class Ratio(NamedTuple):
    """A derived ratio and the two figures it comes from, so a view can show its working."""

    numerator: int
    denominator: int
    value: Decimal


def country_population(ds: Dataset, operation: str, year: int) -> Dated | None:
    """The total country population for a year, as the data give it (None when they do not)."""
    cp = ds.country_population
    rows = cp[(cp["operation"] == operation) & (cp["year"] == year)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Dated(int(row["value"]), str(row["as_of"]), str(row["source"]))


@lru_cache(maxsize=16384)
def people_of_concern(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...] = GROUPS
) -> SourceTotal:
    """Sum of `groups` in one source for one year. A year given only as a total counts only when `groups`
    covers every group the operation has (a total cannot be split)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}, expected one of {DATASETS}")
    pg, pt = rows_of(ds, "population_groups", operation), rows_of(ds, "population_totals", operation)
    rows = pg[(pg["dataset"] == dataset) & (pg["year"] == year)]
    totals = pt[(pt["dataset"] == dataset) & (pt["year"] == year)]
    sources = tuple(dict.fromkeys([*rows["source"], *totals["source"]]))
    as_of = (
        str(rows["as_of"].iloc[0]) if not rows.empty else (str(totals["as_of"].iloc[0]) if not totals.empty else None)
    )
    by_group = MappingProxyType({g: int(v) for g, v in zip(rows["group"], rows["value"], strict=True)})
    if rows.empty and not totals.empty:
        whole = bool(groups) and set(groups) >= set(operation_groups(ds, operation))
        total = int(totals["value"].iloc[0]) if whole else None
        return SourceTotal(dataset, year, total, as_of, MappingProxyType({}), True, sources, groups)
    present = [by_group[g] for g in groups if g in by_group]
    total = sum(present) if present else None
    return SourceTotal(dataset, year, total, as_of, by_group, False, sources, groups)


def people_change(ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...]) -> Decimal | None:
    """The change of `groups` against the previous year within one source, as a fraction in whole percent
    (0.79 = +79%); None unless both years have a figure for these groups (and the previous one is not 0)."""
    current = people_of_concern(ds, operation, year, dataset, groups).total
    previous = people_of_concern(ds, operation, year - 1, dataset, groups).total
    if current is None or previous is None:
        return None
    return ratio(current - previous, previous, CHANGE_PLACES)


def per_thousand(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...] = GROUPS
) -> Ratio | None:
    """People of concern per 1,000 inhabitants (one decimal), when the year has both figures."""
    people = people_of_concern(ds, operation, year, dataset, groups)
    population = country_population(ds, operation, year)
    if people.total is None or population is None:
        return None
    value = ratio(people.total * 1000, population.value, PER_THOUSAND_PLACES)
    return None if value is None else Ratio(people.total, population.value, value)


def idp_share(ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...] = GROUPS) -> Ratio | None:
    """IDPs as a share of the people of concern in `groups` (a fraction, 3 places): needs a breakdown that
    includes IDPs."""
    people = people_of_concern(ds, operation, year, dataset, groups)
    if "idps" not in groups or "idps" not in people.by_group or not people.total:
        return None
    idps = people.by_group["idps"]
    return Ratio(idps, people.total, ratio(idps, people.total))


def years_in_both_sources(ds: Dataset, operation: str) -> tuple[int, ...]:
    """Years for which both the operation page and the statistics series give figures (groups or a total)."""
    years: dict[str, set[int]] = {d: set() for d in DATASETS}
    for name in ("population_groups", "population_totals"):
        frame = rows_of(ds, name, operation)
        for dataset, part in frame.groupby("dataset"):
            years[str(dataset)] |= set(part["year"].astype(int))
    return tuple(sorted(set.intersection(*years.values())))


def source_difference(
    ds: Dataset, operation: str, year: int, groups: tuple[str, ...] = GROUPS
) -> SourceDifference | None:
    """Both sources' totals for `groups` and the gap per group, when the year has figures in both (else None).

    2019 in the shipped data: 275,779 on the operation page, 270,802 in the statistics series.
    """
    if year not in years_in_both_sources(ds, operation):
        return None
    page = people_of_concern(ds, operation, year, "page", groups)
    statistics = people_of_concern(ds, operation, year, "statistics", groups)
    per_group = []
    for g in groups:
        a, b = page.by_group.get(g), statistics.by_group.get(g)
        per_group.append(GroupDifference(g, a, b, None if a is None or b is None else a - b))
    gap = None if page.total is None or statistics.total is None else page.total - statistics.total
    return SourceDifference(year, page, statistics, gap, tuple(per_group))


def implementation_rate(ds: Dataset, operation: str, year: int) -> Decimal | None:
    """Expenditure / budget of the year's totals, as a fraction to 3 places (0.756 = 75.6%); None when either
    is not available."""
    b = rows_of(ds, "budget", operation)
    totals = b[(b["year"] == year) & (b["pillar"] == "total")].set_index("kind")["musd"]
    return ratio(totals.get("expenditure"), totals.get("budget"))


class BudgetLine(NamedTuple):
    """One budget.csv figure in exact dollars and cents; `usd` None when the source leaves it blank."""

    year: int
    kind: str
    pillar: str
    usd: Decimal | None
    source: str


def budget_lines(ds: Dataset, operation: str) -> tuple[BudgetLine, ...]:
    """Every budget and expenditure figure of the operation (all years, total and pillars) in cents, in file
    order: what a budget export holds whatever year is chosen."""
    b = rows_of(ds, "budget", operation)
    return tuple(
        BudgetLine(int(y), str(k), str(p), usd(v), str(s))
        for y, k, p, v, s in zip(b["year"], b["kind"], b["pillar"], b["musd"], b["source"], strict=True)
    )


def budget_pillars(ds: Dataset, operation: str, year: int) -> dict[str, dict[str, Decimal | None]]:
    """The year's budget and expenditure by pillar in cents, {kind: {pillar: USD}}: a kind or pillar the file
    does not list is absent, one it lists without a figure is None. Empty when the year has no budget."""
    out: dict[str, dict[str, Decimal | None]] = {}
    for line in budget_lines(ds, operation):
        if line.year == year and line.pillar in PILLARS:
            out.setdefault(line.kind, {})[line.pillar] = line.usd
    return out


class BudgetYear(NamedTuple):
    """One year's totals in dollars and cents and its implementation rate (a fraction, 3 places)."""

    year: int
    budget: Decimal | None
    expenditure: Decimal | None
    rate: Decimal | None


def budget_years(ds: Dataset, operation: str) -> tuple[BudgetYear, ...]:
    """Every year of the budget file, in order: the series the budget-by-year chart draws, for its export."""
    b = rows_of(ds, "budget", operation)
    totals = b[b["pillar"] == "total"]
    out = []
    for year in sorted(set(totals["year"].astype(int))):
        kinds = totals[totals["year"] == year].set_index("kind")["musd"]
        out.append(
            BudgetYear(
                year, usd(kinds.get("budget")), usd(kinds.get("expenditure")), implementation_rate(ds, operation, year)
            )
        )
    return tuple(out)


def people_trend(
    ds: Dataset, operation: str, dataset: str, groups: tuple[str, ...] = GROUPS
) -> tuple[SourceTotal, ...]:
    """People of concern in one source for every year of the operation (gaps included, total None): the
    series the trend chart draws and its export holds."""
    return tuple(people_of_concern(ds, operation, y, dataset, groups) for y in operation_years(ds, operation))


# Reference dates. `kind` says how to read `start`/`end` (ISO texts):
#   day: the figures were taken on `start`; month: during the month `start` (YYYY-MM);
#   year_end: over a calendar year, closed on `start` (YYYY-12-31); plan: planned for the year `start` (YYYY);
#   range: dated from `start` to `end`; years: the calendar years `start` to `end` (YYYY).
class Reference(NamedTuple):
    what: str
    kind: str
    start: str
    end: str | None = None


class Published(NamedTuple):
    """A source and the date it was published or retrieved (YYYY, YYYY-MM or YYYY-MM-DD; None if undated)."""

    source: str
    date: str | None


class ViewDates(NamedTuple):
    """The dates a view's figures refer to for a selection, and when their sources were published: each
    view gives its own (its `dates`); a view with nothing for the year keeps its sources' dates."""

    references: tuple[Reference, ...]
    published: tuple[Published, ...]


def published(ds: Dataset, source_ids) -> tuple[Published, ...]:
    """Publication dates from sources.csv, in the order given, each source once."""
    out = []
    for sid in dict.fromkeys(source_ids):
        value = ds.sources.loc[sid, "date"]
        text = value.strip() if isinstance(value, str) else ""
        out.append(Published(sid, text or None))
    return tuple(out)


def people_reference(total: SourceTotal) -> tuple[Reference, ...]:
    """The day the people of concern of a year were counted (nothing for a year without figures)."""
    return (Reference("population", "day", total.as_of),) if total.as_of else ()
