"""Budget vs expenditure: by year with the chosen year highlighted, by pillar for the chosen year, rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dash import html

from .. import i18n, ids
from ..data import PILLARS, Dataset, rows_of
from ..derived import BudgetYear, Reference, ViewDates, budget_lines, budget_pillars, budget_years, published
from ..i18n import t
from ..selection import Selection
from . import common
from .common import (
    ACROSS_TICKS,
    BAR_VALUES,
    BLUE,
    ORANGE,
    TEXT_COLOUR,
    Chart,
    Download,
    Table,
    axis_ticks,
    base_layout,
    cached,
    charts_fill,
    drawn,
    drawn_fill,
    figure_source,
    filename,
    frame_fill,
    graph,
    newest_line,
    no_data_annotation,
    separators,
    sources_text,
    table_alt,
    wrap,
    year_text,
)

SHEET = "sheet_budget"  # its sheet in the workbook (an i18n key)
SHEET_SELECTION = ("year",)  # what of the selection its sheet's title row names
ID = ids.BUDGET
# Chart heights in px, shared by the figures and their containers so the card never reflows.
YEARS_HEIGHT, PILLARS_HEIGHT = 320, 300
PILLAR_LINE_CHARS = 18  # a pillar's name wraps at this width, leaving the bars most of a phone's width


@dataclass(frozen=True)
class BudgetView:
    title: str
    years_title: str
    pillars_title: str
    budget_text: str
    expenditure_text: str
    rate_text: str
    has_year: bool
    by_year: Chart
    by_pillar: Chart
    source: str
    download: Download
    year: BudgetYear | None


def _usd_text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _millions_text(value: Decimal | None) -> str:
    """USD in millions, every cent kept (8 decimals at most), without trailing zeros."""
    return "" if value is None else format((value / 1_000_000).normalize(), "f")


def _drawn(value: Decimal | None) -> float | None:
    """An amount as plotly draws it."""
    return None if value is None else float(value)


def _rate_text(rate: float | None, lang: str) -> str:
    return i18n.percent(rate, lang, decimals=1) if rate is not None else t("not_available", lang)


def _missing_text(has_year: bool, lang: str) -> str:
    return t("not_available", lang) if has_year else t("no_data", lang)


def _money_or_gap(value: Decimal | None, has_year: bool, lang: str) -> str:
    return i18n.money_short(value, lang) if value is not None else _missing_text(has_year, lang)


@cached(maxsize=512)
def build(ds: Dataset, sel: Selection) -> BudgetView:
    lang, op, year = sel.lang, sel.operation, sel.year
    per_year = {b.year: b for b in budget_years(ds, op)}
    current = per_year.get(year)
    has_year = current is not None
    sources = sorted(set(rows_of(ds, "budget", op)["source"]))
    in_figure = figure_source(ds, sources, lang)
    years_title, pillars_title = t("budget_years", lang), t("budget_pillars", lang, year=year_text(ds, sel))

    return BudgetView(
        title=t("budget_title", lang),
        years_title=years_title,
        pillars_title=pillars_title,
        budget_text=_money_or_gap(current.budget if current else None, has_year, lang),
        expenditure_text=_money_or_gap(current.expenditure if current else None, has_year, lang),
        rate_text=i18n.percent(current.rate, lang, decimals=1)
        if current and current.rate is not None
        else _missing_text(has_year, lang),
        has_year=has_year,
        by_year=_by_year(per_year, sel, in_figure, years_title),
        by_pillar=_by_pillar(budget_pillars(ds, op, year), current, sel, in_figure, pillars_title),
        source=sources_text(ds, sources, lang),
        download=_download(ds, sel, sources, has_year),
        year=current,
    )


def _year_series(per_year: dict[int, BudgetYear], sel: Selection, kind: str, colour: str) -> dict:
    """One kind's bars (budget or expenditure) across the years, the chosen year outlined, the others faded;
    each bar's hover says its amount and its year's implementation rate."""
    lang, year = sel.lang, sel.year
    has_year = year in per_year
    years = sorted(per_year)
    values = [getattr(per_year[y], kind) for y in years]
    amounts = [i18n.money_short(v, lang) if v is not None else t("not_available", lang) for v in values]
    rates = [t("label_value", lang, label=t("rate", lang), value=_rate_text(per_year[y].rate, lang)) for y in years]
    return {
        "type": "bar",
        "name": t(kind, lang),
        "x": [str(y) for y in years],
        "y": [_drawn(v) for v in values],
        "marker": {
            "color": colour,
            "opacity": [1.0 if y == year or not has_year else 0.45 for y in years],
            "line": {"color": "#000000", "width": [2 if y == year else 0 for y in years]},
        },
        "customdata": [list(pair) for pair in zip(amounts, rates, strict=True)],
        "hovertemplate": t("label_value", lang, label=f"{t(kind, lang)} %{{x}}", value="%{customdata[0]}")
        + "<br>%{customdata[1]}<extra></extra>",
    }


def _year_annotations(per_year: dict[int, BudgetYear], lang: str) -> list[dict]:
    """ "Not available" standing in each year's missing expenditure bar, then each year's rate above its bars."""
    years = sorted(per_year)
    gaps = [
        no_data_annotation(
            i, 0, t("not_available", lang), yanchor="bottom", textangle=-90, xshift=12, xref="x", yref="y"
        )
        for i, y in enumerate(years)
        if per_year[y].expenditure is None
    ]
    return gaps + _rate_labels(per_year, years, lang)


def _year_axis(per_year: dict[int, BudgetYear], lang: str) -> dict:
    """The amount axis of the years' chart: its ticks, with room for the rates above the tallest bar."""
    years = sorted(per_year)
    y_ticks = axis_ticks([_drawn(v) for y in years for v in (per_year[y].budget, per_year[y].expenditure)], lang, True)
    if y_ticks and _rate_labels(per_year, years, lang):
        y_ticks["range"] = [0, y_ticks["range"][1] * 1.1]
    return {"title": {"text": t("usd", lang)}, **y_ticks, "automargin": True, "rangemode": "tozero"}


def _by_year(per_year: dict[int, BudgetYear], sel: Selection, in_figure: str, title: str) -> Chart:
    """Budget and expenditure of every year, the chosen one outlined, each year's rate above its bars."""
    lang = sel.lang
    by_year = {
        "data": [_year_series(per_year, sel, "budget", BLUE), _year_series(per_year, sel, "expenditure", ORANGE)],
        "layout": base_layout(
            in_figure,
            title=f"{t('budget_title', lang)} · {title}",
            empty="" if per_year else t("no_data", lang),
            separators=separators(lang),
            height=YEARS_HEIGHT,
            barmode="group",
            key=((t("budget", lang), BLUE), (t("expenditure", lang), ORANGE)),
            xaxis={"type": "category", "automargin": True},
            yaxis=_year_axis(per_year, lang),
            annotations=_year_annotations(per_year, lang),
            clickmode="event",
        ),
    }
    return Chart(by_year, _years_table(per_year, lang), title)


def _pillar_series(pillar_values: dict, has_year: bool, lang: str, kind: str, colour: str) -> dict:
    """One kind's bars (budget or expenditure) across the pillars, each amount beside its bar."""
    values = [pillar_values.get(kind, {}).get(p) for p in PILLARS]
    return {
        "type": "bar",
        "orientation": "h",
        "name": t(kind, lang),
        "y": [wrap(t(p, lang), PILLAR_LINE_CHARS) for p in PILLARS],
        "x": [_drawn(v) for v in values],
        "marker": {"color": colour},
        # The amount inside its bar where it fits (common.BAR_VALUES); every amount is in the table.
        "text": [i18n.money_short(v, lang) if v is not None else "" for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [_money_or_gap(v, has_year, lang) for v in values],
        "hovertemplate": t("label_value", lang, label=f"{t(kind, lang)}, %{{y}}", value="%{customdata}")
        + "<extra></extra>",
    }


def _pillar_axis(pillar_values: dict, current: BudgetYear | None, lang: str) -> dict:
    """The amount axis of the pillars' chart: it runs to the year's totals, so each pillar reads as a part of
    them; the axis's title says USD, so bare compact numbers ("20 M") fit beside the pillars on a phone."""
    drawn = [_drawn(v) for kind in pillar_values.values() for v in kind.values()]
    totals = [_drawn(current.budget), _drawn(current.expenditure)] if current else []
    return {
        "title": {"text": t("usd", lang)},
        **axis_ticks(drawn + totals, lang, count=ACROSS_TICKS),
        "automargin": True,
        "rangemode": "tozero",
    }


def _pillar_annotations(pillar_values: dict, has_year: bool, lang: str) -> list[dict]:
    """ "Not available" beside each pillar without figures, or "no data" across the chart without the year."""
    if not has_year:
        return [no_data_annotation(0.5, 0.5, t("no_data", lang), xref="paper", yref="paper", font={"size": 16})]
    return [
        no_data_annotation(0, i, t("not_available", lang), xanchor="left", xref="x", yref="y")
        for i, p in enumerate(PILLARS)
        if all(pillar_values.get(k, {}).get(p) is None for k in ("budget", "expenditure"))
    ]


def _by_pillar(pillar_values: dict, current: BudgetYear | None, sel: Selection, in_figure: str, title: str) -> Chart:
    """Budget and expenditure of the chosen year by pillar, the axis running to the year's totals."""
    lang = sel.lang
    has_year = current is not None
    series = [
        _pillar_series(pillar_values, has_year, lang, "budget", BLUE),
        _pillar_series(pillar_values, has_year, lang, "expenditure", ORANGE),
    ]
    by_pillar = {
        "data": series if has_year else [],
        "layout": base_layout(
            in_figure,
            title=f"{t('budget_title', lang)} · {title}",
            empty="" if has_year else t("no_data", lang),
            separators=separators(lang),
            height=PILLARS_HEIGHT,
            barmode="group",
            **BAR_VALUES,
            key=((t("budget", lang), BLUE), (t("expenditure", lang), ORANGE)) if has_year else (),
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            xaxis=_pillar_axis(pillar_values, current, lang),
            annotations=_pillar_annotations(pillar_values, has_year, lang),
        ),
    }
    return Chart(by_pillar, _pillars_table(pillar_values, current, lang), title)


def _years_table(per_year: dict[int, BudgetYear], lang: str) -> Table:
    """Every year's totals, one format down each column ($41.0M beside $49.2M), and its rate."""
    return Table(
        (t("year", lang), t("budget", lang), t("expenditure", lang), t("rate", lang)),
        tuple(
            (
                str(y),
                i18n.money_millions(b.budget, lang) if b.budget is not None else t("not_available", lang),
                i18n.money_millions(b.expenditure, lang) if b.expenditure is not None else t("not_available", lang),
                i18n.percent(b.rate, lang, decimals=1) if b.rate is not None else t("not_available", lang),
            )
            for y, b in sorted(per_year.items())
        ),
    )


def _rate_labels(per_year: dict[int, BudgetYear], years: list[int], lang: str) -> list[dict]:
    """Each year's implementation rate as a label above the taller of its two bars."""
    tallest = [
        max((v for v in (per_year[y].budget, per_year[y].expenditure) if v is not None), default=0) for y in years
    ]
    return [
        {
            "x": i,
            "y": tallest[i],
            "xref": "x",
            "yref": "y",
            "yanchor": "bottom",
            "text": i18n.percent(per_year[y].rate, lang),
            "showarrow": False,
            "font": {"size": 11, "color": TEXT_COLOUR},
        }
        for i, y in enumerate(years)
        if per_year[y].rate is not None
    ]


def _pillars_table(pillar_values: dict, current: BudgetYear | None, lang: str) -> Table:
    """The year's budget and expenditure by pillar and in total, in USD millions (two decimals throughout)."""
    has_year = current is not None

    def millions_or_gap(value):
        return i18n.millions(value, lang) if value is not None else _missing_text(has_year, lang)

    rows = (
        [
            (
                t(p, lang),
                millions_or_gap(pillar_values.get("budget", {}).get(p)),
                millions_or_gap(pillar_values.get("expenditure", {}).get(p)),
            )
            for p in PILLARS
        ]
        if has_year
        else []
    )
    rows.append(
        (
            t("total", lang),
            millions_or_gap(current.budget if current else None),
            millions_or_gap(current.expenditure if current else None),
        )
    )
    return Table(
        (t("pillar", lang), t("budget_musd", lang), t("expenditure_musd", lang)),
        tuple(rows),
        terms=(*(PILLARS if has_year else ()), None),
    )


def _download(ds: Dataset, sel: Selection, sources: list[str], has_year: bool) -> Download:
    """What both charts draw: the chosen year by pillar, then every year's totals and implementation rate."""
    lang, op, year = sel.lang, sel.operation, sel.year
    order = {p: i for i, p in enumerate(("total", *PILLARS))}
    lines = sorted((b for b in budget_lines(ds, op) if b.year == year), key=lambda b: (b.kind, order[b.pillar]))
    pillar_rows = tuple(
        (op, "by_pillar", year, b.kind, b.pillar, t(b.pillar, "en"), _millions_text(b.usd), _usd_text(b.usd), "")
        for b in lines
    )
    year_rows = tuple(
        row
        for b in budget_years(ds, op)
        for row in (
            (op, "by_year", b.year, "budget", "total", "Total", _millions_text(b.budget), _usd_text(b.budget), ""),
            (
                op,
                "by_year",
                b.year,
                "expenditure",
                "total",
                "Total",
                _millions_text(b.expenditure),
                _usd_text(b.expenditure),
                "",
            ),
            (
                op,
                "by_year",
                b.year,
                "implementation_rate",
                "total",
                "Total",
                "",
                "",
                "" if b.rate is None else str(b.rate),
            ),
        )
    )
    return Download(
        filename=filename(ds, op, "budget", year, sel.source),
        columns=("operation", "series", "year", "kind", "pillar", "pillar_name", "usd_millions", "usd", "rate"),
        rows=pillar_rows + year_rows,
        source_ids=tuple(sources),
        notes=(t("note_budget_empty", lang),) if has_year else (t("note_budget_none", lang, year=year_text(ds, sel)),),
        empty=t("note_budget_none", lang, year=year_text(ds, sel)),
    )


def card(ds: Dataset, sel: Selection) -> html.Section:
    return common.card(
        ID,
        [
            drawn(html.Div(id=ids.BUDGET_SUMMARY)),
            html.P(id=ids.BUDGET_HINT, className="note muted hint"),
            html.P(id=ids.BUDGET_NO_GROUPS, className="note muted"),
            html.H3(id=ids.BUDGET_YEARS_HEADING),
            graph(ids.BUDGET_YEARS, YEARS_HEIGHT),
            html.H3(id=ids.BUDGET_PILLARS_HEADING),
            graph(ids.BUDGET_PILLARS, PILLARS_HEIGHT),
            table_alt(ids.BUDGET_TABLE),
        ],
    )


def fill(ds: Dataset, sel: Selection) -> dict:
    """Every text, figure and table of the card, by (component id, property)."""
    v = build(ds, sel)
    lang = sel.lang
    # "Label: " as label_value writes it in the language (French: a narrow no-break space before the colon).
    labels = (f"{t('budget', lang)} {year_text(ds, sel)}", t("expenditure", lang), t("rate", lang))
    lead = [t("label_value", lang, label=label, value="") for label in labels]
    summary = html.P(
        [
            html.Span(lead[0]),
            html.Strong(v.budget_text),
            html.Span(f" · {lead[1]}"),
            html.Strong(v.expenditure_text),
            html.Span(f" · {lead[2]}"),
            html.Strong(v.rate_text),
        ],
        className="note",
    )
    return (
        frame_fill(ds, sel, ID, v.title, v.source, dates(ds, sel))
        | {
            (ids.BUDGET_HINT, "children"): _hint(ds, sel, v.has_year),
            (ids.BUDGET_NO_GROUPS, "children"): t("budget_no_groups", lang),
            (ids.BUDGET_YEARS_HEADING, "children"): v.years_title,
            (ids.BUDGET_PILLARS_HEADING, "children"): v.pillars_title,
        }
        | drawn_fill(ids.BUDGET_SUMMARY, summary)
        | charts_fill(_charts(v), ids.BUDGET_TABLE, lang)
    )


def _hint(ds: Dataset, sel: Selection, has_year: bool) -> str | list:
    """How to choose a year by its bar; for a year without budget figures, that and the newest year's link."""
    if has_year:
        return t("budget_hint", sel.lang)
    years = [b.year for b in budget_years(ds, sel.operation)]
    return [t("note_budget_none", sel.lang, year=year_text(ds, sel)), " ", *newest_line(ds, sel, years)]


def _charts(v: BudgetView) -> dict[str, Chart]:
    return {ids.BUDGET_YEARS: v.by_year, ids.BUDGET_PILLARS: v.by_pillar}


def charts(ds: Dataset, sel: Selection) -> dict[str, Chart]:
    """The card's charts by graph id: budget and expenditure by year, and by pillar for the chosen year."""
    return _charts(build(ds, sel))


def download(ds: Dataset, sel: Selection) -> Download:
    return build(ds, sel).download


def dates(ds: Dataset, sel: Selection) -> ViewDates:
    """The chosen year's financial year and the years shown, and when the budget's sources were published."""
    b = rows_of(ds, "budget", sel.operation)
    refs = [Reference("budget", "year_end", f"{sel.year}-12-31")] if (b["year"] == sel.year).any() else []
    if not b.empty:
        refs.append(Reference("budget_years", "years", str(b["year"].min()), str(b["year"].max())))
    return ViewDates(tuple(refs), published(ds, b["source"]))
