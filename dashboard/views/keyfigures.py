"""Key figures of the chosen year: planning targets and year-end results, in the chosen language."""

from __future__ import annotations

from dataclasses import dataclass

from dash import html

from .. import i18n, ids
from ..data import Dataset, rows_of
from ..derived import Reference, ViewDates, published
from ..i18n import t
from ..rounding import decimal
from ..selection import Selection
from . import common
from .common import Download, cached, drawn, drawn_fill, filename, frame_fill, newest, sources_text, year_text

SHEET = "sheet_key_figures"  # its sheet in the workbook (an i18n key)
SHEET_SELECTION = ("year",)  # what of the selection its sheet's title row names
ID = ids.KEYFIG
KINDS = ("planning_target", "year_end_result")


@dataclass(frozen=True)
class KeyFiguresView:
    title: str
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    empty_text: str
    source: str
    download: Download
    newest: tuple[str, str] | None = None  # for a year without figures: the newest year's name and address


def _exact_text(value: float) -> str:
    """The figure as the file gives it, every digit kept and no exponent: 2500000, 6500, 0.5."""
    return format(decimal(value).normalize(), "f")


def value_text(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return i18n.percent(value / 100, lang)
    return i18n.number(int(value) if float(value).is_integer() else value, lang)


@cached(maxsize=512)
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
    return KeyFiguresView(
        title=t("keyfig_title", lang, year=year_text(ds, sel)),
        sections=sections,
        empty_text="" if sections else t("keyfig_none", lang, year=year_text(ds, sel)),
        source=sources_text(ds, sources, lang),
        download=Download(
            filename=filename(ds, sel.operation, "key-figures", sel.year, sel.source),
            columns=("operation", "year", "kind", "value", "unit", "label_en", "label_fr"),
            rows=tuple(
                (r.operation, r.year, r.kind, _exact_text(r.value), r.unit, r.label_en, r.label_fr)
                for r in rows.itertuples()
            ),
            source_ids=tuple(sources),
            empty="" if sections else t("keyfig_none", lang, year=year_text(ds, sel)),
        ),
        newest=None if sections else newest(ds, sel, k["year"]),
    )


def card(ds: Dataset, sel: Selection) -> html.Section:
    return common.card(ID, [drawn(html.Div(id=ids.KEYFIG_BODY))])


def _body(view: KeyFiguresView, lang: str) -> list:
    if not view.sections:
        line: list = [view.empty_text]
        if view.newest:
            name, href = view.newest
            line += [" ", t("newest_year", lang, year=name), " ", html.A(t("show_year", lang, year=name), href=href)]
        return [html.P(line, className="note")]
    out = []
    for title, items in view.sections:
        out.append(html.H3(title))
        out.append(
            html.Ul(
                [html.Li([html.Strong(value), html.Span(label)]) for value, label in items], className="keyfig-list"
            )
        )
    return out


def fill(ds: Dataset, sel: Selection) -> dict:
    """The card's title, figures and source, by (component id, property)."""
    v = build(ds, sel)
    return frame_fill(ds, sel, ID, v.title, v.source, dates(ds, sel)) | drawn_fill(ids.KEYFIG_BODY, _body(v, sel.lang))


def download(ds: Dataset, sel: Selection) -> Download:
    return build(ds, sel).download


def dates(ds: Dataset, sel: Selection) -> ViewDates:
    """Which year the targets were planned for and the results closed, and when their sources were published."""
    kf = rows_of(ds, "key_figures", sel.operation)
    kinds = set(kf[kf["year"] == sel.year]["kind"])
    refs = []
    if "planning_target" in kinds:
        refs.append(Reference("planning_target", "plan", str(sel.year)))
    if "year_end_result" in kinds:
        refs.append(Reference("year_end_result", "year_end", f"{sel.year}-12-31"))
    return ViewDates(tuple(refs), published(ds, kf["source"]))


charts = None  # no plotly chart
