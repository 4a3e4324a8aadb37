"""The headline strip: people of concern, budget, expenditure, implementation rate, contributions."""

from __future__ import annotations

from dash import html

from .. import i18n, ids
from ..data import Dataset, rows_of
from ..glossary import LABEL_TERMS
from ..i18n import t
from ..selection import Selection
from . import budget, feed, people
from .common import cached, drawn, drawn_fill, newest, term_label, year_text

ID = ids.KPIS
COUNT = 5  # headline figures: the strip reserves their space before they arrive


@cached(maxsize=128)
def build(ds: Dataset, sel: Selection) -> tuple[tuple[str, str, str, str], ...]:
    """(key, label, value, detail) for each headline figure, all derived from the views' own builders; the
    key is the label's i18n key, which names its glossary term where it has one. A figure the chosen year
    lacks says, as its detail, which year is the newest (`links` gives that year's address)."""
    p = people.build(ds, sel)
    b = budget.build(ds, sel)
    f = feed.build(ds, sel)
    contributions = i18n.money_short(f.total, sel.lang) if f.rows else t("no_data", sel.lang)
    budget_detail, feed_detail = _detail(ds, sel, b.has_year, "budget"), _detail(ds, sel, bool(f.rows), "feed")
    figures = (
        ("kpi_people", p.total_text, p.change_text),
        ("kpi_budget", b.budget_text, budget_detail),
        ("kpi_expenditure", b.expenditure_text, budget_detail),
        ("kpi_rate", b.rate_text, budget_detail),
        ("kpi_contributions", contributions, feed_detail),
    )
    label = {"kpi_people": p.label}
    return tuple((key, label.get(key) or t(key, sel.lang), value, detail) for key, value, detail in figures)


# The file each headline figure other than the people's comes from, for its newest year.
_FILE = {"budget": "budget", "feed": "contributions"}


def _newest(ds: Dataset, sel: Selection, view: str) -> tuple[str, str] | None:
    return newest(ds, sel, rows_of(ds, _FILE[view], sel.operation)["year"])


def _detail(ds: Dataset, sel: Selection, has_year: bool, view: str) -> str:
    """'2019', or 'none for mid-2024; newest 2021' for a figure the chosen year does not have."""
    found = None if has_year else _newest(ds, sel, view)
    if found is None:
        return year_text(ds, sel)
    return t("kpi_newest", sel.lang, year=year_text(ds, sel), newest=found[0])


def links(ds: Dataset, sel: Selection) -> dict[str, str]:
    """The address of the newest year of each headline figure the chosen year lacks, by its key."""
    b, f = budget.build(ds, sel), feed.build(ds, sel)
    out = {}
    for keys, has_year, view in (
        (("kpi_budget", "kpi_expenditure", "kpi_rate"), b.has_year, "budget"),
        (("kpi_contributions",), bool(f.rows), "feed"),
    ):
        found = None if has_year else _newest(ds, sel, view)
        out |= {key: found[1] for key in keys} if found else {}
    return out


def card(ds: Dataset, sel: Selection) -> html.Dl:
    return drawn(html.Dl(id=ID, className="kpis"))


def fill(ds: Dataset, sel: Selection) -> dict:
    """The headline figures, each a term, its value and a detail, by (component id, property)."""
    hrefs = links(ds, sel)
    items = [
        html.Div(
            [
                html.Dt(term_label(label, LABEL_TERMS.get(key))),
                html.Dd(value),
                html.Dd(html.A(detail, href=hrefs[key]) if key in hrefs else detail, className="detail"),
            ],
            className="kpi",
        )
        for key, label, value, detail in build(ds, sel)
    ]
    return drawn_fill(ID, items)


charts = None  # no plotly chart
dates = None  # the headline figures are dated in their own views
download = None  # the headline figures are each in their own view's download
