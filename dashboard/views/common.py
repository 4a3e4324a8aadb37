"""Pieces every view uses: its card's frame, source lines, table alternatives, CSV downloads, figure layout."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field, replace

from dash import dcc, html
from dash.development.base_component import Component

from .. import ids
from ..data import Dataset
from ..derived import ViewDates, people_of_concern
from ..glossary import anchor, dates_lines
from ..i18n import DEFAULT_LANG, citation, compact_ticks, list_text, plotly_locale, source_field, t
from ..markup import Drawn
from ..names import operation_name
from ..paths import DOWNLOADS
from ..selection import DEFAULT_SOURCE, operation_groups, to_query, year_name

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Okabe-Ito colours: distinguishable with the common forms of colour-blindness.
BLUE, ORANGE, SKY, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#6B6B6B"
TEXT_COLOUR = "#1F1F1F"
MUTED = "#595959"
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    # sendChartToCloud would upload the chart to Plotly's cloud: nothing leaves the app.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def cached(maxsize: int):
    """lru_cache whose results are deep-copied on the way out: a caller that edits a figure it was given
    cannot change what the next caller gets. Bounded, so free-text selections cannot grow memory."""

    def decorate(function):
        stored = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def wrapper(*args):
            return copy.deepcopy(stored(*args))

        wrapper.cache_clear = stored.cache_clear
        wrapper.cache_info = stored.cache_info
        return wrapper

    return decorate


@dataclass(frozen=True)
class Table:
    """A chart's data as a table: the accessible alternative and the CSV download share it."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The glossary term each row's label names (None: no term), so the label links to its entry.
    terms: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A plotly figure and the table of what it draws, built together so both state the same figures in the
    same words ("no data", "not available", a real 0): the interactive page draws `figure` and offers `table`
    as its alternative; the first view (ssr.py), which draws no figure, shows `table` in the figure's place."""

    figure: dict
    table: Table
    caption: str


@dataclass(frozen=True)
class Download:
    filename: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    source_ids: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    empty: str = ""  # why there are no rows, said where the rows would be


def source_line(ds: Dataset, source_ids, lang: str) -> str:
    """'… (licence: …)' for one or more sources, in the order given, in the user's language."""
    parts = []
    for sid in dict.fromkeys(source_ids):
        src = ds.source(sid)
        cited, licence = citation(src, lang), source_field(src, "licence", lang)
        parts.append(t("source_with_licence", lang, citation=cited, licence=licence))
    return t("list_separator", lang).join(parts)


def sources_text(ds: Dataset, source_ids, lang: str) -> str:
    """'Source: …' for a card, with licences; empty when there is no source."""
    ids = list(dict.fromkeys(source_ids))
    return t("source_line", lang, text=source_line(ds, ids, lang)) if ids else ""


def figure_source(ds: Dataset, source_ids, lang: str) -> str:
    """The short form inside a figure (citations only), so PNG exports keep their source."""
    ids = list(dict.fromkeys(source_ids))
    citations = [citation(ds.source(i), lang) for i in ids]
    return t("source_line", lang, text=t("list_separator", lang).join(citations)) if ids else ""


def slug(text: str) -> str:
    """A file-name part: 'Central African Republic' -> 'central-african-republic'."""
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def filename(ds: Dataset, operation: str, what: str, year: int | None = None, source: str = DEFAULT_SOURCE) -> str:
    """'mali-people-2019.csv', 'mali-people-mid-2024.csv': the operation's English name, the view, the year as
    the page names it (for the people figures of `source`)."""
    named = [slug(year_name(ds, operation, year, "en", source))] if year is not None else []
    return "-".join([slug(operation_name(ds, operation, "en")), what, *named]) + ".csv"


def _counted(ds: Dataset, sel) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The selected groups the year's source counts and the groups it has; None when all it has are selected."""
    have = tuple(people_of_concern(ds, sel.operation, sel.year, sel.source).by_group) or operation_groups(
        ds, sel.operation
    )
    if sel.groups and set(sel.groups) >= set(have):
        return None
    return tuple(g for g in sel.groups if g in have) or sel.groups, have


def groups_named(ds: Dataset, sel) -> str | None:
    """What a people figure counts when not every group the year's source has is selected: 'Refugees',
    'Refugees and IDPs', '3 of 7 groups', 'no group'; None for all of them (the plain 'people of concern')."""
    counted = _counted(ds, sel)
    if counted is None:
        return None
    chosen, have = counted
    if not chosen:
        return t("none_selected", sel.lang)
    if len(chosen) <= 2:
        return list_text([t(g, sel.lang) for g in chosen], sel.lang)
    return t("groups_of", sel.lang, n=len(chosen), m=len(have))


def groups_slug(ds: Dataset, sel) -> str:
    """`groups_named` as a file-name part ('refugees-idps', '3-of-7-groups', 'no-group'); '' for all groups."""
    counted = _counted(ds, sel)
    if counted is None:
        return ""
    chosen, have = counted
    if len(chosen) in (1, 2):
        return slug("-".join(chosen))
    return slug(f"{len(chosen)} of {len(have)} groups" if chosen else "no group")


def people_label(ds: Dataset, sel) -> str:
    """'People of concern', or 'People of concern (Refugees and IDPs)' for a part of the groups."""
    named = groups_named(ds, sel)
    return t("kpi_people", sel.lang) if named is None else t("people_of_groups", sel.lang, groups=named)


def year_text(ds: Dataset, sel) -> str:
    """The chosen year as every title and key number names it: '2019', 'mid-2024' / 'mi-2024'."""
    return year_name(ds, sel.operation, sel.year, sel.lang, sel.source)


def newest(ds: Dataset, sel, years) -> tuple[str, str] | None:
    """For a view with nothing for the chosen year: its newest year (named as the page names years) and the
    address of the same selection in that year; None when the view has no year at all."""
    present = [int(y) for y in years]
    if not present:
        return None
    year = max(present)
    return year_name(ds, sel.operation, year, sel.lang, sel.source), to_query(ds, replace(sel, year=year))


def newest_line(ds: Dataset, sel, years, link=dcc.Link) -> list:
    """'The newest figures here are for 2021. Show 2021' (a link), or nothing when the view has no year."""
    found = newest(ds, sel, years)
    if found is None:
        return []
    name, href = found
    return [t("newest_year", sel.lang, year=name), " ", link(t("show_year", sel.lang, year=name), href=href)]


# Plotly's toolbar (mode bar) stands upright at the top right of every chart (about 30 px wide), so it never
# covers the title's first line: the title wraps to what a 320 px phone leaves beside it, the source note to
# the figure's width there.
SOURCE_LINE_CHARS = 44  # a figure's source note wraps at this width, never cut off
TITLE_LINE_CHARS = 38
SOURCE_LINE_PX = 14
TITLE_LINE_PX = 16


MODEBAR_PX = 34


def _source_note(lines: str) -> dict:
    """The source under the plot, at its right edge: the plot's left moves with its axis labels, its right
    does not."""
    return {
        "text": lines,
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": 0,
        "yshift": -66,
        "xanchor": "right",
        "yanchor": "top",
        "align": "right",
        "showarrow": False,
        "font": {"size": 10, "color": MUTED},
    }


def _title(title: str) -> dict:
    """Just above the plot (and its legend), in the top margin kept for its lines: anchored at the top of the
    figure, plotly drew a multi-line title's first line above it, cut. Anchored at its bottom, plotly puts the
    first line there, so the padding lifts the title by its other lines."""
    return {
        "text": title,
        "x": 0,
        "xanchor": "left",
        "yref": "paper",
        "y": 1,
        "yanchor": "bottom",
        "pad": {"b": 6 + TITLE_LINE_PX * title.count("<br>")},
        "font": {"size": 12},
    }


def _empty_note(empty: str) -> dict:
    """The message in the middle of a chart that has nothing to draw."""
    return {
        "text": empty,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 15, "color": MUTED},
    }


def base_layout(source: str, title: str = "", empty: str = "", key: tuple = (), **extra) -> dict:
    """Plotly layout shared by the charts. The title (with the selection) and the whole source sit in the
    figure, so a PNG export says what it shows and where it comes from; the source wraps instead of being cut.
    With `empty`, the chart has nothing to draw: that message instead of meaningless axes. `key` ((name,
    colour) of each series) is a line under the title: plotly's own legend wraps onto the title on a phone."""
    lines = wrap(source, SOURCE_LINE_CHARS)
    title = wrap(title, TITLE_LINE_CHARS) if title else ""
    if key and not empty:
        swatches = "  ".join(f"<span style='color:{colour}'>■</span> {name}" for name, colour in key)
        title = f"{title}<br>{swatches}" if title else swatches
    title_px = 8 + TITLE_LINE_PX * (title.count("<br>") + 1) if title else 10
    layout = {
        "font": {"family": FONT, "color": TEXT_COLOUR, "size": 13},
        # On the right, room for the vertical mode bar (24 px buttons): it never covers a bar or a label.
        "margin": {"l": 10, "r": MODEBAR_PX, "t": title_px, "b": 66 + SOURCE_LINE_PX * (lines.count("<br>") + 1)},
        "modebar": {"orientation": "v"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "separators": ".,",
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT}},
        "annotations": [_source_note(lines)],
    }
    if title:
        layout["title"] = _title(title)
    for name, value in extra.items():
        layout[name] = layout["annotations"] + list(value) if name == "annotations" else value
    if empty:
        layout["xaxis"] = layout["yaxis"] = {"visible": False}
        layout["annotations"] = [layout["annotations"][0], _empty_note(empty)]
    return layout


# Ticks on a horizontal bar chart's value axis: its labels share a phone's width with the category names, and
# five French labels ("100 k", "20 M $US") ran into each other there at 320-440 px.
ACROSS_TICKS = 3


def axis_ticks(values, lang: str, money: bool = False, count: int = 5, headroom: float = 1.0) -> dict:
    """About `count` ticks from 0 past the largest value, labelled in the language's compact form through
    Babel (2,5 M, 250 k / 2.5M, 250K), money with its currency ($20M / 20 M $US); none when nothing is drawn.
    Never turned: a turned label ran into the source line under the chart. `headroom` extends the axis past
    the largest value (values written above bars need the room)."""
    present = [v for v in values if v is not None]
    if not present:
        return {}
    tickvals, ticktext = compact_ticks(max(present), lang, count)
    if money:
        ticktext = [f"{text}\u00a0$US" if lang == "fr" else f"${text}" for text in ticktext]
    return {
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "range": [0, max(tickvals[-1] * 1.02, max(present) * headroom)],
        "tickangle": 0,
    }


# Values written beside bars (trend, pillars) at one size; plotly hides those that do not fit.
BAR_VALUES = {"uniformtext": {"minsize": 10, "mode": "hide"}}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for axis ticks."""
    return ", " if lang == "fr" else ".,"


def no_data_annotation(x, y, text: str, **extra) -> dict:
    """A grey label where the source has no figure. On category axes pass the category's index: plotly
    mis-ranges a category axis when several annotations name categories by their text."""
    return {"x": x, "y": y, "text": text, "showarrow": False, "font": {"size": 11, "color": MUTED}} | extra


def wrap(label: str, width: int = 22) -> str:
    """Break a long axis label into lines (plotly's <br>), so long group names leave room for the bars. Only at
    plain spaces: a no-break space (the narrow one before a French colon, the one inside an amount) holds."""
    lines, line = [], ""
    for word in (w for w in label.split(" ") if w):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def graph_config(graph_id: str, lang: str) -> dict:
    """Modebar without the selection tools, PNG export named after the chart, plotly's texts translated."""
    png = GRAPH_CONFIG["toImageButtonOptions"] | {"filename": graph_id}
    return GRAPH_CONFIG | {"toImageButtonOptions": png} | plotly_locale(lang)


GRAPH_PLACE = "graph-place"  # assets/answers.js (CONFIG.graphPlace) watches a chart's place to draw it as it comes near the screen


def waiting_figure(height: int) -> dict:
    """A graph's figure until its own comes: an empty frame without axes (the least plotly draws for a mounted
    graph), its mode bar where the figures put theirs (base_layout), so drawing the figure moves nothing."""
    hidden = {"visible": False}
    return {"data": [], "layout": {"height": height, "xaxis": hidden, "yaxis": hidden, "modebar": {"orientation": "v"}}}


def graph(graph_id: str, height: int) -> html.Div:
    """A graph with a fixed height (the view's figures use the same), so the cards never reflow, in its place:
    a box of that height, which holds it before dcc.Graph has loaded (its stand-in has no height) and which the
    page watches to draw the chart when it comes near the screen (the layout's graphs start empty: their
    figures are drawn from ids.FIGURES_AT_LOAD, layout.view_cards)."""
    return html.Div(
        dcc.Graph(
            id=graph_id,
            config=graph_config(graph_id, DEFAULT_LANG),
            figure=waiting_figure(height),
            style={"height": f"{height}px"},
        ),
        className=GRAPH_PLACE,
        style={"minHeight": f"{height}px"},
    )


def drawn(box: Component) -> Component:
    """`box` (an empty html component whose id is in ids.DRAWN) with the store its content comes in, as HTML
    (`drawn_fill`): the browser puts that HTML in the box (assets/dashboard.js `draw`), and the first view
    renders the same in place (ssr.py). Dash's renderer remounts every component below a `children` that changes, and re-checks
    every mounted component on each of those remounts: a table of Dash components cost a second on a phone
    for a year change; its content as one store's data costs one update."""
    box.children = dcc.Store(id=ids.content_of(box.id))
    return box


def drawn_fill(box_id: str, content) -> dict:
    """A drawn box's content (html components only, no ids), by (component id, property): the browser receives
    it as HTML (markup.Drawn), written by the renderer that writes the first view."""
    return {(ids.content_of(box_id), "data"): Drawn(content)}


def table_alt(table_id: str) -> html.Details:
    """A collapsed table alternative; its summary text is filled with the view (ids.summary_of)."""
    return html.Details(
        [html.Summary(id=ids.summary_of(table_id)), drawn(html.Div(id=table_id))], className="table-alt"
    )


def card(view_id: str, body: list, wide: bool = False, after_download: tuple | list = ()) -> html.Section:
    """A view's card: heading (which names the section for screen readers), body, CSV download, source.

    Ids come from `ids` (title, download, source of `view_id`); the view fills their texts by name.
    """
    title_id = ids.title_of(view_id)
    return html.Section(
        [
            html.H2(id=title_id),
            *body,
            html.Div([html.A(id=ids.download_of(view_id), className="download", download="")], className="toolbar"),
            *after_download,
            html.P(id=ids.dates_of(view_id), className="dates"),
            html.P(id=ids.source_of(view_id), className="source"),
        ],
        id=view_id,
        className="card wide" if wide else "card",
        **{"aria-labelledby": title_id},
    )


def download_href(ds: Dataset, sel, view_id: str) -> str:
    """The address of a view's CSV for the selection (served by dashboard/files.py)."""
    return f"{DOWNLOADS}{view_id}.csv{to_query(ds, sel)}"


def frame_fill(ds: Dataset, sel, view_id: str, title: str, source: str, dates: ViewDates) -> dict:
    """What every card has: title, the link to its CSV for the selection, its dates (the view's own, in one
    line: when its figures were taken and when their sources were published), source line."""
    return {
        (ids.title_of(view_id), "children"): title,
        (ids.dates_of(view_id), "children"): " · ".join(dates_lines(ds, dates, sel.lang)),
        (ids.download_of(view_id), "children"): t("download_csv", sel.lang),
        (ids.download_of(view_id), "href"): download_href(ds, sel, view_id),
        (ids.source_of(view_id), "children"): source,
    }


def table_fill(table_id: str, lang: str, tables: list) -> dict:
    """A table alternative's summary text and its tables."""
    return {(ids.summary_of(table_id), "children"): t("show_table", lang)} | drawn_fill(table_id, tables)


def charts_fill(charts: dict[str, Chart], table_id: str, lang: str) -> dict:
    """Each chart's figure and config on its graph (by graph id), and their tables, in that order, as the
    card's table alternative."""
    graphs = {}
    for graph_id, chart in charts.items():
        graphs[(graph_id, "figure")] = chart.figure
        graphs[(graph_id, "config")] = graph_config(graph_id, lang)
    return graphs | table_fill(table_id, lang, [data_table(c.table, c.caption) for c in charts.values()])


def term_label(text: str, term: str | None):
    """A label that names a glossary term, as a link to its entry; plain text without a term."""
    return html.A(text, href=f"#{anchor(term)}", className="term") if term else text


def data_table(table: Table, caption: str = "") -> html.Table:
    """An HTML table with header cells (and a caption, when given): a chart's alternative for keyboards and
    readers, and what the first view shows in the chart's place."""
    return html.Table(
        [
            *([html.Caption(caption)] if caption else []),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in table.header])),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(term_label(row[0], term), scope="row")]
                        + [html.Td(c, className="num") for c in row[1:]]
                    )
                    for row, term in zip(table.rows, table.terms or [None] * len(table.rows), strict=True)
                ]
            ),
        ],
        className="data",
    )


def notes(lines) -> list:
    return [html.P(line, className="note") for line in lines]
