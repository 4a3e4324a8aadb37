"""Contributions feed of the chosen year, filtered by donor type and name, sorted, with the total of its rows.

A plain table: twenty rows need no data grid, and the page stays light on a slow link. Sorting and filters
are part of the selection, so they are in the address and survive a reload.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import i18n, ids, names
from ..data import Dataset, rows_of
from ..derived import Reference, ViewDates, published
from ..i18n import quote, t, t_plural
from ..selection import DONOR_TYPES, MAX_DONOR_TEXT, SORTS, Selection, to_query
from . import common
from .common import Download, cached, drawn, drawn_fill, filename, frame_fill, sources_text, year_text

SHEET = "sheet_contributions"  # its sheet in the workbook (an i18n key)
SHEET_SELECTION = ("year", "donor_type", "donor")  # what of the selection its sheet's title row names
ID = ids.FEED
COLUMNS = ("date", "donor", "amount")  # a private donor is named as such in the donor column
# Which column each sort orders, and in which direction (for aria-sort); the donor totals order groups.
SORTED_COLUMN = {
    "date_desc": ("date", "descending"),
    "amount_desc": ("amount", "descending"),
    "donor_asc": ("donor", "ascending"),
    "donor_total_desc": (None, None),
}
# Debounce of the donor search in seconds: the list follows the typing, one request per pause.
SEARCH_DEBOUNCE = 0.3


@dataclass(frozen=True)
class DonorGroup:
    """One donor's rows and their total: a country's government, or the private donors of a country (apart, so
    a government's total never includes private gifts), named as the rows name them."""

    name: str
    total_text: str
    count_text: str
    rows: tuple[dict, ...]


@dataclass(frozen=True)
class FeedView:
    title: str
    rows: tuple[dict, ...]
    total: int
    total_text: str
    empty_text: str
    other_years: tuple[tuple[int, str], ...]  # years that have contributions, with the address showing each
    groups: tuple[DonorGroup, ...]  # by donor total, largest first (the rows again, grouped)
    source: str
    download: Download


def _sorted(records: list[dict], sort: str) -> list[dict]:
    """Newest first, largest first, by the donor country's name as shown (accents and case folded; its
    government before its private donors), or grouped by donor (a government apart from its country's private
    donors), the largest total first."""
    if sort == "amount_desc":
        return sorted(records, key=lambda r: (-r["amount"], _newest(r)))
    if sort == "donor_asc":
        return sorted(records, key=lambda r: (names.search_key(r["country"]), r["private"], _newest(r)))
    if sort == "donor_total_desc":
        totals: dict[str, int] = {}
        for r in records:
            totals[r["donor_key"]] = totals.get(r["donor_key"], 0) + r["amount"]
        return sorted(records, key=lambda r: (-totals[r["donor_key"]], names.search_key(r["country"]), _newest(r)))
    return sorted(records, key=lambda r: (_newest(r), -r["amount"]))


def _groups(records: tuple[dict, ...], lang: str) -> tuple[DonorGroup, ...]:
    """Consecutive rows of one donor, as sorted by `_sorted(..., "donor_total_desc")`."""
    by_key: dict[str, list[dict]] = {}
    for r in records:
        by_key.setdefault(r["donor_key"], []).append(r)
    return tuple(
        DonorGroup(
            name=rows[0]["donor_shown"],
            total_text=i18n.money(sum(r["amount"] for r in rows), lang),
            count_text=t_plural("contributions_count", len(rows), lang),
            rows=tuple(rows),
        )
        for rows in by_key.values()
    )


def _newest(record: dict) -> int:
    return -int(record["date"].replace("-", ""))


@cached(maxsize=128)
def build(ds: Dataset, sel: Selection) -> FeedView:
    lang = sel.lang
    of_op = rows_of(ds, "contributions", sel.operation)
    rows = of_op[of_op["year"] == sel.year]
    if sel.donor_type != "all":
        rows = rows[rows["private_donor"] == (sel.donor_type == "private")]
    if sel.donor:
        rows = rows[names.donor_mask(rows, sel.donor)]
    total = int(rows["amount_usd"].sum())
    unsorted = []
    for r in rows.itertuples():
        code = r.donor_code if isinstance(r.donor_code, str) else ""
        country = names.donor_name(r, None, lang)
        unsorted.append(
            {
                "date": r.date.date().isoformat(),
                "date_text": i18n.date(r.date.date(), lang),
                "donor": r.donor,
                "donor_code": code,
                # A country's government and its private donors are two donors.
                "donor_key": (code or names.search_key(r.donor)) + ("|private" if r.private_donor else ""),
                "country": country,
                # "Private donors (Spain)": a private donor in that country, never the country's government.
                "donor_shown": t("private_donors_in", lang, country=country) if r.private_donor else country,
                "private": bool(r.private_donor),
                "amount": int(r.amount_usd),
                "amount_text": i18n.money(int(r.amount_usd), lang),
            }
        )
    records = tuple(_sorted(unsorted, sel.sort))
    years = sorted(set(of_op["year"]))
    empty = ""
    if of_op[of_op["year"] == sel.year].empty:
        named = year_text(ds, sel)
        empty = t("feed_none", lang, year=named) if years else t("feed_none_anywhere", lang, year=named)
    other_years = tuple((int(y), to_query(ds, replace(sel, year=int(y)))) for y in years) if empty else ()
    sources = sorted(set(of_op["source"]))
    return FeedView(
        title=t("feed_title", lang, year=year_text(ds, sel)),
        rows=records,
        total=total,
        total_text=t_plural("feed_total", len(records), lang, amount=i18n.money(total, lang)),
        empty_text=empty,
        other_years=other_years,
        groups=_groups(records, lang) if sel.sort == "donor_total_desc" else (),
        source=sources_text(ds, sources, lang),
        download=_download(ds, sel, records, empty, other_years, sources),
    )


def _download(
    ds: Dataset, sel: Selection, records: tuple[dict, ...], empty: str, other_years: tuple, sources: list[str]
) -> Download:
    """The rows listed (as filtered and sorted), or why there are none and which years have some."""
    lang = sel.lang
    return Download(
        filename=filename(ds, sel.operation, "contributions", sel.year, sel.source),
        columns=("operation", "date", "donor", "donor_code", "private_donor", "amount_usd"),
        rows=tuple(
            (sel.operation, r["date"], r["donor"], r["donor_code"], str(r["private"]).lower(), r["amount"])
            for r in records
        ),
        source_ids=tuple(sources),
        empty=" ".join([empty, t("feed_years_listed", lang), i18n.list_text([str(y) for y, _ in other_years], lang)])
        + "."
        if other_years
        else empty or ("" if records else t("feed_filtered_none", lang, year=sel.year)),
        notes=(
            t(
                "note_filters",
                lang,
                year=sel.year,
                donor_type=t(f"donor_{sel.donor_type}", lang) if lang == "fr" else sel.donor_type,
                donor=quote(sel.donor, lang) if lang == "fr" else repr(sel.donor),
            ),
        ),
    )


def _radio(control_id: str) -> dbc.RadioItems:
    """A filter; its value, like every control's, is set by the page frame (selection.CONTROL_IDS)."""
    return dbc.RadioItems(id=control_id, name=control_id, options=[], inline=True, class_name="radio-row")


def card(ds: Dataset, sel: Selection) -> html.Section:
    filters = html.Div(
        [
            html.Fieldset([html.Legend(id=ids.FEED_DONOR_TYPE_LABEL), _radio(ids.FEED_DONOR_TYPE)]),
            html.Fieldset([html.Legend(id=ids.FEED_SORT_LABEL), _radio(ids.FEED_SORT)]),
            html.Div(
                [
                    html.Label(htmlFor=ids.FEED_DONOR, id=ids.FEED_DONOR_LABEL, className="control-label"),
                    html.Br(),
                    dcc.Input(
                        id=ids.FEED_DONOR,
                        type="search",
                        debounce=SEARCH_DEBOUNCE,
                        maxLength=MAX_DONOR_TEXT,
                        autoComplete="off",
                    ),
                ]
            ),
        ],
        className="feed-filters",
    )
    return common.card(
        ID,
        [
            filters,
            html.P(id=ids.FEED_NO_GROUPS, className="note muted"),
            html.P(id=ids.FEED_TOTAL, className="note", role="status"),
            drawn(html.Div(id=ids.FEED_TABLE, className="feed-table")),
        ],
        wide=True,
    )


def _row(r: dict) -> html.Tr:
    return html.Tr(
        [
            html.Td(html.Time(r["date_text"], dateTime=r["date"])),
            html.Td(r["donor_shown"]),
            html.Td(r["amount_text"], className="num"),
        ]
    )


def _table(view: FeedView, sel: Selection) -> html.Table | None:
    if view.empty_text:
        return None  # the total line says why there is nothing to list
    sorted_by, direction = SORTED_COLUMN[sel.sort]
    lang = sel.lang
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    t(c, lang),
                    scope="col",
                    className="num" if c == "amount" else None,
                    **({"aria-sort": direction} if c == sorted_by else {}),
                )
                for c in COLUMNS
            ]
        )
    )
    if view.groups:
        # One body per donor country, headed by its name, its number of contributions and its total.
        bodies = [
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(
                                [g.name, html.Span(f" · {g.count_text}", className="muted")],
                                scope="rowgroup",
                                colSpan=2,
                            ),
                            html.Td(g.total_text, className="num"),
                        ],
                        className="donor-total",
                    ),
                    *(_row(r) for r in g.rows),
                ]
            )
            for g in view.groups
        ]
    else:
        bodies = [html.Tbody([_row(r) for r in view.rows])]
    return html.Table([html.Caption(view.title, className="visually-hidden"), head, *bodies], className="data feed")


def _empty(view: FeedView, lang: str) -> list:
    """Why nothing is listed, and a link to each year that has contributions (the same selection otherwise)."""
    if not view.other_years:
        return [view.empty_text]
    links: list = []
    for year, href in view.other_years:
        links += [", " if links else " ", dcc.Link(str(year), href=href)]
    return [view.empty_text, " ", t("feed_years_listed", lang), *links, "."]


def fill(ds: Dataset, sel: Selection) -> dict:
    """Title, filter labels and options, the table and its total, by (component id, property)."""
    v = build(ds, sel)
    lang = sel.lang
    return (
        frame_fill(ds, sel, ID, v.title, v.source, dates(ds, sel))
        | {
            (ids.FEED_DONOR_TYPE_LABEL, "children"): t("donor_type", lang),
            (ids.FEED_DONOR_TYPE, "options"): [{"label": t(f"donor_{d}", lang), "value": d} for d in DONOR_TYPES],
            (ids.FEED_SORT_LABEL, "children"): t("sort_by", lang),
            (ids.FEED_SORT, "options"): [{"label": t(f"sort_{s}", lang), "value": s} for s in SORTS],
            (ids.FEED_DONOR_LABEL, "children"): t("donor_search", lang),
            (ids.FEED_NO_GROUPS, "children"): t("feed_no_groups", lang),
            (ids.FEED_TOTAL, "children"): _empty(v, lang) if v.empty_text else v.total_text,
        }
        | drawn_fill(ids.FEED_TABLE, _table(v, sel))
    )


def download(ds: Dataset, sel: Selection) -> Download:
    return build(ds, sel).download


def dates(ds: Dataset, sel: Selection) -> ViewDates:
    """The first and last day of the year's contributions, and when the feed's sources were published."""
    c = rows_of(ds, "contributions", sel.operation)
    days = c[c["year"] == sel.year]["date"]
    refs = []
    if not days.empty:
        refs.append(Reference("contributions", "range", days.min().date().isoformat(), days.max().date().isoformat()))
    return ViewDates(tuple(refs), published(ds, c["source"]))


charts = None  # no plotly chart
