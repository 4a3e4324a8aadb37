"""Key figures of the chosen year: planning targets and year-end results, in the chosen language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import i18n
from ..data import Dataset, rows_of
from ..i18n import t
from ..selection import Selection
from .common import Download, sources_text

KINDS = ("planning_target", "year_end_result")


@dataclass(frozen=True)
class KeyFiguresView:
    title: str
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    empty_text: str
    source: str
    download: Download


def value_text(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return i18n.percent(value / 100, lang)
    return i18n.number(int(value) if float(value).is_integer() else value, lang)


@lru_cache(maxsize=512)
def build(ds: Dataset, sel: Selection) -> KeyFiguresView:
    lang = sel.lang
    k = rows_of(ds, "key_figures", sel.operation)
    rows = k[k["year"] == sel.year]
    label = "label_fr" if lang == "fr" else "label_en"
    sections = tuple(
        (t(kind, lang), tuple((value_text(r.value, r.unit, lang), getattr(r, label)) for r in part.itertuples()))
        for kind in KINDS
        if not (part := rows[rows["kind"] == kind]).empty
    )
    sources = sorted(set(rows["source"]))
    op_name = ds.operations.loc[sel.operation, "name_en"]
    return KeyFiguresView(
        title=t("keyfig_title", lang, year=sel.year),
        sections=sections,
        empty_text="" if sections else t("keyfig_none", lang, year=sel.year),
        source=sources_text(ds, sources, lang),
        download=Download(
            filename=f"{op_name.lower()}-key-figures-{sel.year}.csv".replace(" ", "-"),
            columns=("operation", "year", "kind", "value", "unit", "label_en", "label_fr"),
            rows=tuple(
                (r.operation, r.year, r.kind, f"{r.value:g}", r.unit, r.label_en, r.label_fr) for r in rows.itertuples()
            ),
            source_ids=tuple(sources),
        ),
    )
