"""Thin callbacks: unpack inputs, parse the selection, call a builder, hand back its parts.

`register_callbacks(app, get_ds)` binds them to one app; the functions stay importable so tests can call
them directly. Every input goes through `selection.parse`, so a malformed request gets defaults, not a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

import flask
from dash import Input, Output, State, ctx, no_update
from dash._utils import to_json

from . import components, ids
from .builders import budget, common, feed, keyfigures, kpis, mapview, people
from .data import Dataset
from .i18n import LEAFLET, best_lang, t
from .layout import graph_config
from .selection import (
    DONOR_TYPES,
    POP_SOURCES,
    Selection,
    from_query,
    from_store,
    operation_groups,
    operation_years,
    parse,
    to_query,
    to_store,
)

# Each view's download button and the builder whose `download` it serves.
DOWNLOADS = {
    ids.DOWNLOAD_PEOPLE: people.build,
    ids.DOWNLOAD_BUDGET: budget.build,
    ids.DOWNLOAD_FEED: feed.build,
    ids.DOWNLOAD_KEYFIG: keyfigures.build,
    ids.DOWNLOAD_MAP: mapview.build,
}
CONTROL_IDS = (ids.OPERATION, ids.YEAR, ids.GROUPS, ids.SOURCE, ids.LANG, ids.FEED_DONOR_TYPE, ids.FEED_DONOR)


def _accept_language():
    try:
        return flask.request.accept_languages
    except RuntimeError:
        return None


def _clicked_year(click) -> str | None:
    try:
        return str(click["points"][0]["x"])
    except (KeyError, IndexError, TypeError):
        return None


def sync(ds: Dataset, trigger, search, op, year, groups, source, lang, donor_type, donor, click, accept=None):
    """The one place where the address, the controls and a budget-bar click become the selection.

    Returns the control values, the store, the new address (or no_update) and the notice text.
    """
    bad: list[str] = []
    if trigger in (None, ids.URL):
        sel, bad = from_query(ds, search, fallback_lang=best_lang(accept))
    else:
        params = {
            "op": op,
            "lang": lang,
            "year": _clicked_year(click) if trigger == ids.BUDGET_YEARS else year,
            "groups": groups if groups else ["none"],
            "source": source,
            "donor_type": donor_type,
            "donor": donor,
        }
        if trigger == ids.OPERATION and str(op) in ds.operations.index:
            # Another operation keeps the year and the groups it also has; the rest go to its defaults.
            if str(year) not in map(str, operation_years(ds, op)):
                del params["year"]
            kept = (
                [g for g in groups if isinstance(g, str) and g in operation_groups(ds, op)]
                if isinstance(groups, list)
                else []
            )
            params["groups"] = kept if kept else None
        sel, bad = parse(ds, params, fallback_lang=best_lang(accept))
        if trigger == ids.BUDGET_YEARS and _clicked_year(click) is None:
            return (no_update,) * 10
    query = to_query(ds, sel)
    notice = t("notice_url", sel.lang, items=", ".join(bad)) if bad else ""
    return (
        sel.operation,
        str(sel.year),
        list(sel.groups),
        sel.source,
        sel.lang,
        sel.donor_type,
        sel.donor,
        to_store(sel),
        query if trigger not in (None, ids.URL) and query != search else no_update,
        notice,
    )


def labels(ds: Dataset, data):
    """Control labels and options in the chosen language, for the chosen operation."""
    sel = from_store(ds, data)
    lang = sel.lang
    name = ds.operations.loc[sel.operation, "name_fr" if lang == "fr" else "name_en"]
    return (
        t("app_title", lang),
        t("subtitle", lang, name=name),
        t("operation", lang),
        t("year", lang),
        [{"label": str(y), "value": str(y)} for y in operation_years(ds, sel.operation)],
        t("groups", lang),
        [{"label": t(g, lang), "value": g} for g in operation_groups(ds, sel.operation)],
        t("pop_source", lang),
        [{"label": t(f"src_{s}", lang), "value": s} for s in POP_SOURCES],
        t("donor_type", lang),
        [{"label": t(f"donor_{d}", lang), "value": d} for d in DONOR_TYPES],
        t("donor_search", lang),
        feed.column_defs(lang),
        *[t("download_csv", lang)] * len(DOWNLOADS),
        t("map_title", lang),
        t("by_group", lang),
        t("trend", lang),
        t("show_table", lang),
        t("show_table", lang),
        t("show_table", lang),
        t("skip_link", lang),
    )


def people_outputs(ds: Dataset, data):
    sel = from_store(ds, data)
    v = people.build(ds, sel)
    total = [
        components.html.P(v.total_text, className="big"),
        components.html.P(f"{t('people_total', sel.lang)} · {v.change_text}", className="note"),
        components.html.P(v.shown_source, className="note"),
        *components.notes(v.notes),
    ]
    tables = [
        components.data_table(v.table, t("by_group", sel.lang)),
        components.data_table(v.trend_table, t("trend", sel.lang)),
    ]
    configs = (graph_config(ids.PEOPLE_BREAKDOWN, sel.lang), graph_config(ids.PEOPLE_TREND, sel.lang))
    return (v.title, total, *configs, v.breakdown, v.trend, tables, v.source)


def budget_outputs(ds: Dataset, data):
    sel = from_store(ds, data)
    v = budget.build(ds, sel)
    lang = sel.lang
    summary = [
        components.html.P(
            [
                components.html.Span(f"{t('budget', lang)} {sel.year}: "),
                components.html.Strong(v.budget_text),
                components.html.Span(f" · {t('expenditure', lang)}: "),
                components.html.Strong(v.expenditure_text),
                components.html.Span(f" · {t('rate', lang)}: "),
                components.html.Strong(v.rate_text),
            ],
            className="note",
        ),
        components.html.P(f"{t('budget_hint', lang)} {t('budget_no_groups', lang)}", className="note muted"),
    ]
    return (
        v.title,
        summary,
        v.years_title,
        graph_config(ids.BUDGET_YEARS, lang),
        graph_config(ids.BUDGET_PILLARS, lang),
        v.by_year,
        v.pillars_title,
        v.by_pillar,
        [components.data_table(v.years_table, v.years_title), components.data_table(v.table, v.pillars_title)],
        v.source,
    )


def feed_outputs(ds: Dataset, data):
    sel = from_store(ds, data)
    v = feed.build(ds, sel)
    # A year without contributions says so in words; the empty grid is hidden rather than shown blank.
    grid_style = {"display": "none"} if v.empty_text else {}
    return (v.title, list(v.rows), grid_style, v.empty_text or v.total_text, v.source)


def keyfig_outputs(ds: Dataset, data):
    sel = from_store(ds, data)
    v = keyfigures.build(ds, sel)
    return (v.title, components.key_figures(v), v.source)


def kpi_outputs(ds: Dataset, data):
    return components.kpi_list(kpis.build(ds, from_store(ds, data)))


def map_outputs(ds: Dataset, data):
    sel = from_store(ds, data)
    v = mapview.build(ds, sel)
    country = [
        components.html.Span(v.country_title, className="note"),
        components.html.P(v.country_value, className="big"),
        components.html.Span(v.country_note, className="note"),
    ]
    return (
        v.region_hideout,
        v.region_hideout,  # the Ménaka point is styled and labelled like the regions
        v.office_hideout,
        country,
        components.region_legend(v),
        components.data_table(v.table, v.legend_title),
        v.disclaimer,
        v.source,
    )


def map_details(ds: Dataset, trigger, office_click, region_click, point_click, data):
    """Details of the clicked office or region, in the chosen language; a hint otherwise."""
    sel = from_store(ds, data)
    hint = t("map_details", sel.lang)
    click = {ids.MAP_OFFICES: office_click, ids.MAP_REGIONS: region_click, ids.MAP_MENAKA: point_click}.get(trigger)
    if not isinstance(click, dict):
        return components.office_panel(None, hint)
    props = click.get("properties") if isinstance(click.get("properties"), dict) else {}
    if trigger == ids.MAP_OFFICES:
        return components.office_panel(mapview.office_details(ds, sel.operation, str(props.get("key")), sel.lang), hint)
    hideout = mapview.build(ds, sel).region_hideout
    key = click.get("id") if trigger == ids.MAP_REGIONS else props.get("key")
    if not isinstance(key, str):
        return components.office_panel(None, hint)
    value = hideout["values"].get(key)
    name = value["name"] if value else hideout["names"].get(key)
    if name is None:
        return components.office_panel(None, hint)
    return [
        components.html.Strong(name),
        components.html.Span(f" — {hideout['what']}: {value['text'] if value else hideout['noDataText']}"),
    ]


def download(ds: Dataset, trigger, data):
    sel = from_store(ds, data)
    if trigger not in DOWNLOADS:
        return no_update
    d = DOWNLOADS[trigger](ds, sel).download
    return {"content": common.csv_text(ds, d), "filename": d.filename, "type": "text/csv", "base64": False}


# What each view callback function fills, in the order it returns them.
VIEW_OUTPUTS = (
    (
        kpi_outputs,
        ((ids.KPIS, "children"),),
    ),
    (
        people_outputs,
        (
            (ids.PEOPLE_TITLE, "children"),
            (ids.PEOPLE_TOTAL, "children"),
            # A graph applies a new config only with a new figure: both travel together.
            (ids.PEOPLE_BREAKDOWN, "config"),
            (ids.PEOPLE_TREND, "config"),
            (ids.PEOPLE_BREAKDOWN, "figure"),
            (ids.PEOPLE_TREND, "figure"),
            (ids.PEOPLE_TABLE, "children"),
            (ids.PEOPLE_SOURCE, "children"),
        ),
    ),
    (
        budget_outputs,
        (
            (ids.BUDGET_TITLE, "children"),
            (ids.BUDGET_SUMMARY, "children"),
            (ids.BUDGET_TITLE + "-years", "children"),
            (ids.BUDGET_YEARS, "config"),
            (ids.BUDGET_PILLARS, "config"),
            (ids.BUDGET_YEARS, "figure"),
            (ids.BUDGET_TITLE + "-pillars", "children"),
            (ids.BUDGET_PILLARS, "figure"),
            (ids.BUDGET_TABLE, "children"),
            (ids.BUDGET_SOURCE, "children"),
        ),
    ),
    (
        feed_outputs,
        (
            (ids.FEED_TITLE, "children"),
            (ids.FEED_GRID, "rowData"),
            (ids.FEED_GRID_WRAP, "style"),
            (ids.FEED_TOTAL, "children"),
            (ids.FEED_SOURCE, "children"),
        ),
    ),
    (
        keyfig_outputs,
        ((ids.KEYFIG_TITLE, "children"), (ids.KEYFIG_BODY, "children"), (ids.KEYFIG_SOURCE, "children")),
    ),
    (
        map_outputs,
        (
            (ids.MAP_REGIONS, "hideout"),
            (ids.MAP_MENAKA, "hideout"),
            (ids.MAP_OFFICES, "hideout"),
            (ids.MAP_COUNTRY, "children"),
            (ids.MAP_LEGEND, "children"),
            (ids.MAP_TABLE, "children"),
            (ids.MAP_DISCLAIMER, "children"),
            (ids.MAP_SOURCE, "children"),
        ),
    ),
)
VIEW_COUNT = sum(len(targets) for _, targets in VIEW_OUTPUTS)


@lru_cache(maxsize=1024)
def _views(ds: Dataset, sel: Selection) -> tuple:
    out: list = []
    store = to_store(sel)
    for build, targets in VIEW_OUTPUTS:
        values = build(ds, store)
        out.extend(values if len(targets) > 1 else (values,))
    # Plain JSON (components turned into their wire form once), so a repeated selection costs only the
    # final serialisation, and outputs can be compared with the previous selection's.
    return tuple(json.loads(to_json(value)) for value in out)


@lru_cache(maxsize=4096)
def _changes(ds: Dataset, before: Selection | None, after: Selection) -> dict[int, object]:
    """The view outputs of `after` that differ from those of `before` (all of them without a `before`)."""
    new = _views(ds, after)
    if before is None:
        return dict(enumerate(new))
    old = _views(ds, before)
    return {i: value for i, value in enumerate(new) if value != old[i]}


def update(
    ds: Dataset, trigger, search, controls, click, previous_frame, previous_store=None, accept=None, shown_op=None
) -> tuple:
    """One round trip per interaction: the selection, the address, the views' new values, the frame key.

    The views travel as one value, {"count": n, "changed": {index: value}}, that a clientside callback
    hands out to the components (Dash's server-side cost grows with the number of outputs). Only what
    differs from the selection on screen is in it. The frame key (operation, language) only changes when
    the labels must, so a year change costs this one request and nothing else.
    """
    state = sync(ds, trigger, search, *controls, click, accept)
    if state[7] is no_update:
        return (no_update,) * (len(state) + 3)
    store = state[7]
    frame = {"op": store["op"], "lang": store["lang"]}
    previous = from_store(ds, previous_store) if isinstance(previous_store, dict) and previous_frame == frame else None
    changed = _changes(ds, previous, from_store(ds, store))
    return (
        *state,
        {"count": VIEW_COUNT, "changed": changed},
        frame if frame != previous_frame else no_update,
        store["op"] if store["op"] != shown_op else no_update,
    )


def register_callbacks(app, get_ds: Callable[[], Dataset]) -> None:
    """Bind the callbacks to `app`; `get_ds` returns the (cached) dataset."""

    @app.callback(
        *(Output(i, "value") for i in CONTROL_IDS),
        Output(ids.SELECTION, "data"),
        Output(ids.URL, "search"),
        Output(ids.NOTICE, "children"),
        Output(ids.VIEWS, "data"),
        Output(ids.FRAME, "data"),
        Output(ids.OPERATION_SHOWN, "data"),
        Input(ids.URL, "search"),
        *(Input(i, "value") for i in CONTROL_IDS),
        Input(ids.BUDGET_YEARS, "clickData"),
        State(ids.FRAME, "data"),
        State(ids.SELECTION, "data"),
        State(ids.OPERATION_SHOWN, "data"),
    )
    def _update(search, *args):
        *controls, click, previous_frame, previous_store, shown_op = args
        return update(
            get_ds(),
            ctx.triggered_id,
            search,
            controls,
            click,
            previous_frame,
            previous_store,
            _accept_language(),
            shown_op,
        )

    @app.callback(
        Output(ids.MAP_OUTLINE, "data"),
        Output(ids.MAP_REGIONS, "data"),
        Output(ids.MAP_MENAKA, "data"),
        Output(ids.MAP_OFFICES, "data"),
        Output(ids.MAP_LEAFLET, "viewport"),
        Input(ids.OPERATION_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def _map_layers(operation):
        ds = get_ds()
        return mapview.layers(ds, from_store(ds, {"op": operation}).operation)

    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Output(ids.OPERATION_LABEL, "children"),
        Output(ids.YEAR_LABEL, "children"),
        Output(ids.YEAR, "options"),
        Output(ids.GROUPS_LABEL, "children"),
        Output(ids.GROUPS, "options"),
        Output(ids.SOURCE_LABEL, "children"),
        Output(ids.SOURCE, "options"),
        Output(ids.FEED_DONOR_TYPE_LABEL, "children"),
        Output(ids.FEED_DONOR_TYPE, "options"),
        Output(ids.FEED_DONOR_LABEL, "children"),
        Output(ids.FEED_GRID, "columnDefs"),
        *[Output(i, "children") for i in DOWNLOADS],
        Output(ids.MAP_TITLE, "children"),
        Output(ids.PEOPLE_TITLE + "-by-group", "children"),
        Output(ids.PEOPLE_TITLE + "-trend", "children"),
        Output(ids.PEOPLE_TABLE + "-summary", "children"),
        Output(ids.BUDGET_TABLE + "-summary", "children"),
        Output(ids.MAP_TABLE + "-summary", "children"),
        Output(ids.SKIP_LINK, "children"),
        Input(ids.FRAME, "data"),
    )
    def _labels(frame):
        return labels(get_ds(), frame)

    @app.callback(
        Output(ids.MAP_DETAILS, "children"),
        Input(ids.MAP_OFFICES, "n_clicks"),
        Input(ids.MAP_REGIONS, "n_clicks"),
        Input(ids.MAP_MENAKA, "n_clicks"),
        Input(ids.FRAME, "data"),
        State(ids.MAP_OFFICES, "clickData"),
        State(ids.MAP_REGIONS, "clickData"),
        State(ids.MAP_MENAKA, "clickData"),
        State(ids.SELECTION, "data"),
    )
    def _map_details(_o, _r, _p, _frame, office_click, region_click, point_click, data):
        return map_details(get_ds(), ctx.triggered_id, office_click, region_click, point_click, data)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        *(Input(i, "n_clicks") for i in DOWNLOADS),
        State(ids.SELECTION, "data"),
        prevent_initial_call=True,
    )
    def _download(*args):
        return download(get_ds(), ctx.triggered_id, args[-1])

    app.clientside_callback(
        "function (data) { return window.dashboard.applyViews(data); }",
        *(Output(i, prop) for _, targets in VIEW_OUTPUTS for i, prop in targets),
        Input(ids.VIEWS, "data"),
    )
    app.clientside_callback(
        "function (frame) { return window.dashboard.setLanguage(frame, " + json.dumps(LEAFLET) + "); }",
        Output("content", "lang"),
        Input(ids.FRAME, "data"),
    )
