"""The headline strip: people of concern, budget, expenditure, implementation rate, contributions."""

from __future__ import annotations

from dash import html

from .. import i18n, ids
from ..data import Dataset
from ..glossary import LABEL_TERMS
from ..i18n import t
from ..selection import Selection
from . import budget, feed, people
from .common import cached, drawn, drawn_fill, term_label

ID = ids.KPIS
COUNT = 5  # headline figures: the strip reserves their space before they arrive


@cached(maxsize=128)
def build(ds: Dataset, sel: Selection) -> tuple[tuple[str, str, str, str], ...]:
    """(key, label, value, detail) for each headline figure, all derived from the views' own builders; the
    key is the label's i18n key, which names its glossary term where it has one."""
    p = people.build(ds, sel)
    b = budget.build(ds, sel)
    f = feed.build(ds, sel)
    contributions = i18n.money_short(f.total, sel.lang) if f.rows else t("no_data", sel.lang)
    figures = (
        ("kpi_people", p.total_text, p.change_text),
        ("kpi_budget", b.budget_text, str(sel.year)),
        ("kpi_expenditure", b.expenditure_text, str(sel.year)),
        ("kpi_rate", b.rate_text, str(sel.year)),
        ("kpi_contributions", contributions, str(sel.year)),
    )
    return tuple((key, t(key, sel.lang), value, detail) for key, value, detail in figures)


def card(ds: Dataset, sel: Selection) -> html.Dl:
    return drawn(html.Dl(id=ID, className="kpis"))


def fill(ds: Dataset, sel: Selection) -> dict:
    """The headline figures, each a term, its value and a detail, by (component id, property)."""
    items = [
        html.Div(
            [html.Dt(term_label(label, LABEL_TERMS.get(key))), html.Dd(value), html.Dd(detail, className="detail")],
            className="kpi",
        )
        for key, label, value, detail in build(ds, sel)
    ]
    return drawn_fill(ID, items)


charts = None  # no plotly chart
dates = None  # the headline figures are dated in their own views
download = None  # the headline figures are each in their own view's download
