"""The headline strip: people of concern, budget, expenditure, implementation rate, contributions."""

from __future__ import annotations

from functools import lru_cache

from .. import i18n
from ..data import Dataset
from ..i18n import t
from ..selection import Selection
from . import budget, feed, people


@lru_cache(maxsize=512)
def build(ds: Dataset, sel: Selection) -> tuple[tuple[str, str, str], ...]:
    """(label, value, detail) for each headline figure, all derived from the views' own builders."""
    p = people.build(ds, sel)
    b = budget.build(ds, sel)
    f = feed.build(ds, sel)
    contributions = i18n.money_short(f.total, sel.lang) if f.rows else t("no_data", sel.lang)
    return (
        (t("kpi_people", sel.lang), p.total_text, p.change_text),
        (t("kpi_budget", sel.lang), b.budget_text, str(sel.year)),
        (t("kpi_expenditure", sel.lang), b.expenditure_text, str(sel.year)),
        (t("kpi_rate", sel.lang), b.rate_text, str(sel.year)),
        (t("kpi_contributions", sel.lang), contributions, str(sel.year)),
    )
