"""Contributions feed of the chosen year, filtered by donor type and name, with the total of its rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import i18n
from ..data import Dataset, rows_of
from ..i18n import t
from ..selection import Selection
from .common import Download, sources_text


@dataclass(frozen=True)
class FeedView:
    title: str
    rows: tuple[dict, ...]
    total: int
    total_text: str
    empty_text: str
    source: str
    download: Download


def column_defs(lang: str) -> list[dict]:
    """AG Grid columns: sorting on raw values, display from Babel-formatted text."""
    return [
        {
            "field": "date",
            "headerName": t("date", lang),
            "sort": "desc",
            "valueFormatter": {"function": "params.data.date_text"},
            "minWidth": 120,
            "flex": 1,
        },
        {"field": "donor", "headerName": t("donor", lang), "flex": 2, "minWidth": 180},
        {"field": "private_text", "headerName": t("private_donor", lang), "minWidth": 110, "flex": 1},
        {
            "field": "amount",
            "headerName": t("amount", lang),
            "type": "rightAligned",
            "minWidth": 140,
            "flex": 1,
            "valueFormatter": {"function": "params.data.amount_text"},
        },
    ]


@lru_cache(maxsize=512)
def build(ds: Dataset, sel: Selection) -> FeedView:
    lang = sel.lang
    of_op = rows_of(ds, "contributions", sel.operation)
    rows = of_op[of_op["year"] == sel.year]
    if sel.donor_type != "all":
        rows = rows[rows["private_donor"] == (sel.donor_type == "private")]
    if sel.donor:
        rows = rows[rows["donor"].str.contains(sel.donor, case=False, regex=False)]
    total = int(rows["amount_usd"].sum())
    records = tuple(
        {
            "date": r.date.date().isoformat(),
            "date_text": i18n.date(r.date.date(), lang),
            "donor": r.donor,
            "private": bool(r.private_donor),
            "private_text": t("yes" if r.private_donor else "no", lang),
            "amount": int(r.amount_usd),
            "amount_text": i18n.money(int(r.amount_usd), lang),
        }
        for r in rows.itertuples()
    )
    years = sorted(set(of_op["year"]))
    empty = ""
    if of_op[of_op["year"] == sel.year].empty:
        empty = t("feed_none", lang, year=sel.year, years=", ".join(map(str, years)) or t("no_data", lang))
    sources = sorted(set(of_op["source"]))
    op_name = ds.operations.loc[sel.operation, "name_en"]
    return FeedView(
        title=t("feed_title", lang, year=sel.year),
        rows=records,
        total=total,
        total_text=t("feed_total", lang, n=i18n.number(len(records), lang), amount=i18n.money(total, lang)),
        empty_text=empty,
        source=sources_text(ds, sources, lang),
        download=Download(
            filename=f"{op_name.lower()}-contributions-{sel.year}.csv".replace(" ", "-"),
            columns=("operation", "date", "donor", "private_donor", "amount_usd"),
            rows=tuple((sel.operation, r["date"], r["donor"], str(r["private"]).lower(), r["amount"]) for r in records),
            source_ids=tuple(sources),
            notes=(f"Filters: year={sel.year}, donor type={sel.donor_type}, donor name contains={sel.donor!r}.",),
        ),
    )
