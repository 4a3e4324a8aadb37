"""People of concern: total and change for the chosen year, breakdown by group, trend over years."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from dash import dcc, html

from .. import i18n, ids
from ..data import Dataset
from ..derived import (
    SourceTotal,
    ViewDates,
    people_change,
    people_of_concern,
    people_reference,
    people_trend,
    published,
)
from ..glossary import context_lines, source_difference_note
from ..i18n import source_field, t
from ..selection import Selection, operation_groups, to_query
from . import common
from .common import (
    ACROSS_TICKS,
    BLUE,
    SKY,
    Chart,
    Download,
    Table,
    axis_ticks,
    base_layout,
    cached,
    charts_fill,
    figure_source,
    filename,
    frame_fill,
    graph,
    groups_named,
    groups_slug,
    no_data_annotation,
    notes,
    people_label,
    separators,
    sources_text,
    table_alt,
    wrap,
)

SHEET = "sheet_people"  # its sheet in the workbook (an i18n key)
SHEET_SELECTION = ("year", "groups", "source")  # what of the selection its sheet's title row names
ID = ids.PEOPLE
DATASET_LABEL = {"page": "src_page", "statistics": "src_statistics"}
# Chart heights in px, shared by the figures and their containers so the card never reflows; the breakdown's
# nine rows fit a group name wrapped on three lines (as on a phone) without touching the next.
BREAKDOWN_HEIGHT, TREND_HEIGHT = 560, 330
# A group's name wraps at this width: on a phone the names took 60 % of the chart's width at 30.
GROUP_LINE_CHARS = 24
VALUE_HEADROOM = 1.5  # the trend's axis runs 50 % past its largest bar: room for the value upright above it


@dataclass(frozen=True)
class Switch:
    """Where the chosen source has no figure and the other has: what the other says, and the address that
    shows it (the same selection with the other source). The page never switches by itself."""

    text: str
    link_text: str
    href: str


@dataclass(frozen=True)
class PeopleView:
    title: str
    label: str  # what the figures count: 'People of concern', 'People of concern (Refugees)'
    total_label: str  # under the key number: 'Total of the selected groups' or the groups it counts
    total_text: str
    change_text: str
    notes: tuple[str, ...]
    shown_source: str
    breakdown: Chart
    trend: Chart
    source: str
    download: Download
    total: int | None
    change: Decimal | None
    context: tuple[str, ...]
    switch: Switch | None  # the chosen year's gap (its total or some groups) that the other source fills
    trend_switch: Switch | None  # the trend's years that the other source fills


def _blank(value):
    """An empty cell for 'no data': never a 0."""
    return "" if value is None else value


def _is_mid_year(as_of: str | None) -> bool:
    return bool(as_of) and not as_of.endswith("-12-31")


def _in_sentence(name: str) -> str:
    """'Operation page' -> 'operation page' inside a sentence; 'UNHCR statistics series' keeps its capitals."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _year_ranges(years: list[int], lang: str) -> str:
    """'2014–2016, 2020–2023 and 2025': consecutive years as a range, in the language's list form."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return i18n.list_text([f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs], lang)


def switches(ds: Dataset, sel: Selection, figures: dict[int, SourceTotal]) -> tuple[Switch | None, Switch | None]:
    """The gaps of the chosen source that the other source fills: for the chosen year (its total, or groups
    it lacks), and across the trend's years. Each says what the other source has and links to it."""
    lang, op = sel.lang, sel.operation
    other = "statistics" if sel.source == "page" else "page"
    other_figures = {y: people_of_concern(ds, op, y, other, sel.groups) for y in figures}
    shown, name = (_in_sentence(t(DATASET_LABEL[d], lang)) for d in (sel.source, other))
    link = (t("switch_source", lang, name=name), to_query(ds, replace(sel, source=other)))
    current, theirs = figures[sel.year], other_figures[sel.year]
    switch = None
    if current.total is None and theirs.total is not None:
        text = t("other_source_has", lang, name=name, value=i18n.number(theirs.total, lang), year=sel.year)
        switch = Switch(text, *link)
    elif current.missing:
        filled = [g for g, v in theirs.shown if g in current.missing and v is not None]
        if filled:
            groups = i18n.list_text([t(g, lang) for g in filled], lang)
            switch = Switch(t("other_source_groups", lang, name=name, groups=groups, year=sel.year), *link)
    gaps = [y for y, f in figures.items() if f.total is None and other_figures[y].total is not None]
    trend_switch = None
    if gaps:
        years = _year_ranges(gaps, lang)
        if len(gaps) <= 3:
            values = i18n.list_text([f"{i18n.number(other_figures[y].total, lang)} ({y})" for y in gaps], lang)
            text = t("other_source_years_values", lang, shown=shown, years=years, name=name, values=values)
        else:
            text = t("other_source_years", lang, shown=shown, years=years, name=name)
        trend_switch = Switch(text, *link)
    return switch, trend_switch


def year_label(fig: SourceTotal, lang: str) -> str:
    return t("mid_year", lang, year=fig.year) if _is_mid_year(fig.as_of) else str(fig.year)


def trend_sources(ds: Dataset, figures: dict[int, SourceTotal], lang: str) -> str:
    """'Source: UNHCR Global Focus, … (2021) for 2017–2019; UNHCR, Mali operation page (…) for mid-2024': each
    source the trend draws from, with the years it gives, so no year reads as cited by another's page."""
    years: dict[str, list[int]] = {}
    for year, figure in figures.items():
        for source in figure.sources:
            years.setdefault(source, []).append(year)
    parts = []
    for source, given in years.items():
        named = year_label(figures[given[0]], lang) if len(given) == 1 else _year_ranges(given, lang)
        citation = source_field(ds.source(source), "citation", lang)
        parts.append(t("source_for_years", lang, citation=citation, years=named))
    return t("source_line", lang, text=t("list_separator", lang).join(parts)) if parts else ""


@cached(maxsize=512)
def build(ds: Dataset, sel: Selection) -> PeopleView:
    lang, op, dataset = sel.lang, sel.operation, sel.source
    figures = {f.year: f for f in people_trend(ds, op, dataset, sel.groups)}
    current = figures[sel.year]
    change = people_change(ds, op, sel.year, dataset, sel.groups)
    all_sources = sorted({s for f in figures.values() for s in f.sources})
    shown = t(DATASET_LABEL[dataset], lang)
    # Each chart cites what it draws: the chosen year's source, or each source with the years it gives.
    in_year = f"{t('shown_source', lang, name=shown)}. {figure_source(ds, current.sources or all_sources, lang)}"
    in_trend = f"{t('shown_source', lang, name=shown)}. {trend_sources(ds, figures, lang)}"
    named, label = groups_named(ds, sel), people_label(ds, sel)
    year = year_label(current, lang)
    title = (
        t("people_title", lang, year=year)
        if named is None
        else t("people_title_of_groups", lang, year=year, groups=named)
    )
    prev_label = str(sel.year - 1)
    change_text = (
        t("change_vs", lang, change=i18n.percent(change, lang, signed=True), prev=prev_label)
        if change is not None
        else t("change_none", lang, prev=prev_label)
    )
    switch, trend_switch = switches(ds, sel, figures) if sel.groups else (None, None)
    return PeopleView(
        title=title,
        label=label,
        total_label=t("people_total", lang) if named is None else label,
        total_text=i18n.number(current.total, lang),
        change_text=change_text,
        notes=_notes(ds, sel, current),
        shown_source=t("shown_source", lang, name=shown),
        breakdown=_breakdown(ds, sel, current, in_year, f"{title} · {t('by_group', lang)} · {shown}", named),
        trend=_trend(sel, figures, in_trend, f"{t('trend', lang)} · {label} · {shown}", named),
        source=sources_text(ds, all_sources, lang),
        download=_download(ds, sel, figures, all_sources, groups_slug(ds, sel)),
        total=current.total,
        change=change,
        context=tuple(context_lines(ds, op, sel.year, dataset, sel.groups, lang)) if current.total is not None else (),
        switch=switch,
        trend_switch=trend_switch,
    )


def _notes(ds: Dataset, sel: Selection, current: SourceTotal) -> tuple[str, ...]:
    """What the chosen year's total leaves out or rests on: no groups, no figure, missing groups, a mid-year
    date, the other source's figure."""
    lang, op, dataset = sel.lang, sel.operation, sel.source
    group_label = {g: t(g, lang) for g in operation_groups(ds, op)}
    notes: list[str] = []
    if not sel.groups:
        notes.append(t("no_groups_selected", lang))
    elif current.only_total and current.total is None:
        notes.append(t("no_breakdown", lang, year=sel.year))
    elif current.total is None:
        notes.append(t("no_people", lang, year=sel.year))
    elif current.missing:
        notes.append(t("partial_groups", lang, groups=", ".join(group_label[g] for g in current.missing)))
    if current.total is not None and _is_mid_year(current.as_of):
        notes.append(f"{t('as_of', lang)} {i18n.date(current.as_of, lang)}")
    difference = source_difference_note(ds, op, sel.year, dataset, sel.groups, lang) if sel.groups else None
    if difference:
        notes.append(difference)
    return tuple(notes)


def _caption(text: str, named: str | None) -> str:
    """A table's caption, naming the groups it counts when not all are selected."""
    return text if named is None else f"{text} · {named}"


def _breakdown(
    ds: Dataset, sel: Selection, current: SourceTotal, in_figure: str, title: str, named: str | None
) -> Chart:
    """The chosen year by group: a bar per selected group, "no data" written where the source has none."""
    lang = sel.lang
    group_label = {g: t(g, lang) for g in operation_groups(ds, sel.operation)}
    labels = [group_label[g] for g, _ in current.shown]
    values = [v for _, v in current.shown]
    texts = [i18n.number(v, lang) for v in values]
    breakdown = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [wrap(label, GROUP_LINE_CHARS) for label in labels],
                "x": values,
                "customdata": labels,
                "text": [tx if v is not None else "" for tx, v in zip(texts, values, strict=True)],
                # A real zero is drawn as "0" beside its (empty) bar; "no data" is an annotation instead.
                "textposition": ["outside" if v == 0 else "auto" for v in values],
                "marker": {"color": BLUE},
                "hovertemplate": t("label_value", lang, label="%{customdata}", value="%{text}") + "<extra></extra>",
                "cliponaxis": False,
            }
        ],
        "layout": base_layout(
            in_figure,
            title=title,
            empty=t("no_groups_selected", lang)
            if not sel.groups
            else ""
            if any(v is not None for v in values)
            else t("no_data", lang),
            separators=separators(lang),
            height=BREAKDOWN_HEIGHT,
            xaxis={
                "title": {"text": t("people_axis", lang)},
                **axis_ticks(values, lang, count=ACROSS_TICKS),
                "rangemode": "tozero",
                "automargin": True,
            },
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            annotations=[
                no_data_annotation(0, i, t("no_data", lang), xanchor="left", xref="x", yref="y")
                for i, v in enumerate(values)
                if v is None
            ],
        ),
    }

    table = Table(
        (t("group", lang), str(sel.year)),
        tuple((label, text) for label, text in zip(labels, texts, strict=True))
        + ((t("people_total", lang), i18n.number(current.total, lang)),),
        terms=(*sel.groups, "people_of_concern"),
    )
    return Chart(breakdown, table, _caption(t("by_group", lang), named))


def _trend(sel: Selection, figures: dict[int, SourceTotal], in_figure: str, title: str, named: str | None) -> Chart:
    """The selected groups' total in every year, the chosen year highlighted."""
    lang = sel.lang
    years = list(figures)
    xs = [year_label(figures[y], lang) for y in years]
    ys = [figures[y].total for y in years]
    colours = [BLUE if y == sel.year else SKY for y in years]
    trend = {
        "data": [
            {
                "type": "bar",
                "x": xs,
                "y": ys,
                "marker": {"color": colours},
                # Each year's value, upright above its bar.
                "text": [i18n.number_short(v, lang) for v in ys],
                "textposition": "outside",
                "textangle": -90,
                "cliponaxis": False,
                "customdata": [i18n.number(v, lang) for v in ys],
                "hovertemplate": t("label_value", lang, label="%{x}", value="%{customdata}") + "<extra></extra>",
            }
        ],
        "layout": base_layout(
            in_figure,
            title=title,
            empty="" if any(v is not None for v in ys) else t("no_data", lang),
            separators=separators(lang),
            height=TREND_HEIGHT,
            # Upright values at a readable size even where plotly would shrink them to a bar's width.
            uniformtext={"minsize": 10, "mode": "show"},
            xaxis={"type": "category", "automargin": True},
            yaxis={
                "title": {"text": t("people_axis", lang)},
                **axis_ticks(ys, lang, headroom=VALUE_HEADROOM),
                "rangemode": "tozero",
                "automargin": True,
            },
            annotations=[
                no_data_annotation(i, 0, t("no_data", lang), yanchor="bottom", textangle=-90, xref="x", yref="y")
                for i, v in enumerate(ys)
                if v is None
            ],
        ),
    }

    trend_table = Table(
        (t("year", lang), t("people_total", lang)),
        tuple((x, i18n.number(v, lang)) for x, v in zip(xs, ys, strict=True)),
    )
    return Chart(trend, trend_table, _caption(t("trend", lang), named))


def _download(
    ds: Dataset, sel: Selection, figures: dict[int, SourceTotal], all_sources: list[str], groups: str
) -> Download:
    """What both charts draw: the chosen year by group, then the selected groups' total in every year."""
    lang, op, dataset = sel.lang, sel.operation, sel.source
    current = figures[sel.year]
    years = list(figures)
    return Download(
        filename=filename(ds, op, f"people-{groups}" if groups else "people", sel.year, dataset),
        columns=("operation", "dataset", "series", "year", "as_of", "group", "people"),
        rows=tuple(
            (op, dataset, "by_group", sel.year, current.as_of or "", g, "" if v is None else v)
            for g, v in current.shown
        )
        + ((op, dataset, "by_group", sel.year, current.as_of or "", "total_selected", _blank(current.total)),)
        + tuple(
            (op, dataset, "trend", y, figures[y].as_of or "", "total_selected", _blank(figures[y].total)) for y in years
        ),
        source_ids=tuple(all_sources),
        notes=(t("note_people", lang, name=t(DATASET_LABEL[dataset], lang)),),
    )


def card(ds: Dataset, sel: Selection) -> html.Section:
    return common.card(
        ID,
        [
            html.Div(id=ids.PEOPLE_TOTAL),
            html.H3(id=ids.PEOPLE_BY_GROUP_HEADING),
            graph(ids.PEOPLE_BREAKDOWN, BREAKDOWN_HEIGHT),
            html.H3(id=ids.PEOPLE_TREND_HEADING),
            graph(ids.PEOPLE_TREND, TREND_HEIGHT),
            html.Div(id=ids.PEOPLE_TREND_GAPS),
            table_alt(ids.PEOPLE_TABLE),
        ],
    )


def _switch(switch: Switch | None) -> list:
    """The gap's sentence and the link that shows the other source (a client-side address change)."""
    if switch is None:
        return []
    return [html.P([switch.text, " ", dcc.Link(switch.link_text, href=switch.href)], className="note switch")]


def fill(ds: Dataset, sel: Selection) -> dict:
    """Every text, figure and table of the card, by (component id, property)."""
    v = build(ds, sel)
    lang = sel.lang
    total = [
        html.P(v.total_text, className="big"),
        html.P(f"{v.total_label} · {v.change_text}", className="note"),
        *notes(v.context),
        *notes(v.notes),
        *_switch(v.switch),
    ]
    return (
        frame_fill(ds, sel, ID, v.title, v.source, dates(ds, sel))
        | {
            (ids.PEOPLE_TOTAL, "children"): total,
            (ids.PEOPLE_BY_GROUP_HEADING, "children"): t("by_group", lang),
            (ids.PEOPLE_TREND_HEADING, "children"): t("trend", lang),
            (ids.PEOPLE_TREND_GAPS, "children"): _switch(v.trend_switch),
        }
        | charts_fill(_charts(v), ids.PEOPLE_TABLE, lang)
    )


def _charts(v: PeopleView) -> dict[str, Chart]:
    return {ids.PEOPLE_BREAKDOWN: v.breakdown, ids.PEOPLE_TREND: v.trend}


def charts(ds: Dataset, sel: Selection) -> dict[str, Chart]:
    """The card's charts by graph id: the breakdown of the chosen year and the trend."""
    return _charts(build(ds, sel))


def download(ds: Dataset, sel: Selection) -> Download:
    return build(ds, sel).download


def dates(ds: Dataset, sel: Selection) -> ViewDates:
    """The day the year's figures were counted, and when the chosen source was published."""
    people = people_of_concern(ds, sel.operation, sel.year, sel.source)
    return ViewDates(people_reference(people), published(ds, people.sources))
