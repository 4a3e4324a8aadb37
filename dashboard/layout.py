"""The page frame: address, shared stores, controls, and one card per view.

Texts and figures are filled by the callbacks from the selection (so language, year and groups drive one
path); the frame itself only carries the structure, the map geometry (sent once) and the options.
"""

from __future__ import annotations

import os

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import dash_leaflet as dl
from dash import dcc, html

from . import ids
from .builders import mapview
from .builders.common import HEIGHTS
from .builders.feed import column_defs
from .data import Dataset
from .i18n import DEFAULT_LANG, plotly_locale, t
from .selection import DONOR_TYPES, POP_SOURCES, default_selection, operation_groups, operation_years

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    # sendChartToCloud would upload the chart to Plotly's cloud: nothing leaves the app.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _fieldset(label_id: str, label: str, control) -> html.Fieldset:
    return html.Fieldset([html.Legend(label, id=label_id), control])


def graph_config(graph_id: str, lang: str) -> dict:
    """Modebar without the selection tools, PNG export named after the chart, plotly's texts translated."""
    png = GRAPH_CONFIG["toImageButtonOptions"] | {"filename": graph_id}
    return GRAPH_CONFIG | {"toImageButtonOptions": png} | plotly_locale(lang)


def _graph(graph_id: str, height: int) -> dcc.Graph:
    """A graph with a fixed height (the builders' figures use the same), so the cards never reflow."""
    return dcc.Graph(
        id=graph_id,
        config=graph_config(graph_id, DEFAULT_LANG),
        figure={"data": [], "layout": {"height": height}},
        style={"height": f"{height}px"},
    )


def _download_button(button_id: str, lang: str) -> html.Button:
    return html.Button(t("download_csv", lang), id=button_id, className="download", n_clicks=0, type="button")


def _card(
    card_id: str,
    title_id: str,
    body: list,
    download_id: str,
    source_id: str,
    lang: str,
    title: str | None = None,
    wide: bool = False,
    after_download: tuple | list = (),
) -> html.Section:
    """A view's card: its heading (which names the section for screen readers), body, CSV download, source."""
    return html.Section(
        [
            html.H2(title, id=title_id),
            *body,
            html.Div([_download_button(download_id, lang)], className="toolbar"),
            *after_download,
            html.P(id=source_id, className="source"),
        ],
        id=card_id,
        className="card wide" if wide else "card",
        **{"aria-labelledby": title_id},
    )


def _table_alt(table_id: str, lang: str) -> html.Details:
    return html.Details(
        [html.Summary(t("show_table", lang), id=table_id + "-summary"), html.Div(id=table_id)], className="table-alt"
    )


def tile_layer() -> list:
    """A base tile layer only when DASHBOARD_TILE_URL is set: by default the map makes no outside request."""
    url = os.environ.get("DASHBOARD_TILE_URL", "").strip()
    if not url:
        return []
    return [dl.TileLayer(url=url, attribution=os.environ.get("DASHBOARD_TILE_ATTRIBUTION", ""))]


def map_layers(ds: Dataset, operation: str) -> list:
    st = mapview.static(ds, operation)
    layers = tile_layer()
    layers.append(
        dl.GeoJSON(
            id=ids.MAP_OUTLINE,
            data=st.outline or mapview.EMPTY,
            style={"color": "#1f1f1f", "weight": 2, "fill": False},
            interactive=False,
            attribution="Natural Earth",
        )
    )
    layers.append(
        dl.GeoJSON(
            id=ids.MAP_REGIONS,
            data=st.regions or mapview.EMPTY,
            style={"variable": "dashboard.map.regionStyle"},
            onEachFeature={"variable": "dashboard.map.regionEach"},
            hideout={},
        )
    )
    layers.append(
        dl.GeoJSON(
            id=ids.MAP_MENAKA,
            data=st.points,
            pointToLayer={"variable": "dashboard.map.pointToLayer"},
            onEachFeature={"variable": "dashboard.map.pointEach"},
            hideout={},
        )
    )
    layers.append(
        dl.GeoJSON(
            id=ids.MAP_OFFICES,
            data=st.offices,
            pointToLayer={"variable": "dashboard.map.officeToLayer"},
            onEachFeature={"variable": "dashboard.map.officeEach"},
            hideout={},
        )
    )
    return layers


def map_container(ds: Dataset, operation: str) -> dl.MapContainer:
    st = mapview.static(ds, operation)
    # dash-leaflet compares `center` on every move, so it is always set; `bounds` then fits the country.
    placement = {"center": st.centre, "zoom": 5} | ({"bounds": st.bounds} if st.bounds else {})
    return dl.MapContainer(
        map_layers(ds, operation),
        id=ids.MAP_LEAFLET,
        keyboard=True,
        scrollWheelZoom=False,
        attributionControl=True,
        minZoom=3,
        maxZoom=10,
        **placement,
    )


def build_layout(ds: Dataset) -> html.Div:
    sel = default_selection(ds)
    lang = sel.lang
    years = operation_years(ds, sel.operation)
    groups = operation_groups(ds, sel.operation)
    several_ops = len(ds.operations) > 1
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTION),
            dcc.Store(id=ids.VIEWS),
            dcc.Store(id=ids.FRAME),
            dcc.Store(id=ids.OPERATION_SHOWN, data=sel.operation),
            dcc.Download(id=ids.DOWNLOAD),
            html.A(t("skip_link", lang), href="#content", className="skip-link", id=ids.SKIP_LINK),
            html.Header(
                [
                    html.Div([html.H1(t("app_title", lang), id=ids.TITLE), html.P(id=ids.SUBTITLE)]),
                    _fieldset(
                        ids.LANG + "-label",
                        "Language / Langue",
                        dbc.RadioItems(
                            id=ids.LANG,
                            name=ids.LANG,
                            options=[{"label": "English", "value": "en"}, {"label": "Français", "value": "fr"}],
                            value=lang,
                            inline=True,
                            class_name="radio-row",
                        ),
                    ),
                ],
                className="top",
            ),
            html.Div(
                [
                    html.Div(
                        _fieldset(
                            ids.OPERATION_LABEL,
                            t("operation", lang),
                            dbc.RadioItems(
                                id=ids.OPERATION,
                                name=ids.OPERATION,
                                options=[
                                    {"label": ds.operations.loc[o, "name_en"], "value": o} for o in ds.operations.index
                                ],
                                value=sel.operation,
                                inline=True,
                                class_name="radio-row",
                            ),
                        ),
                        style={} if several_ops else {"display": "none"},
                    ),
                    _fieldset(
                        ids.YEAR_LABEL,
                        t("year", lang),
                        dbc.RadioItems(
                            id=ids.YEAR,
                            name=ids.YEAR,
                            options=[{"label": str(y), "value": str(y)} for y in years],
                            value=str(sel.year),
                            inline=True,
                            class_name="radio-row year-row",
                            label_checked_class_name="checked",
                        ),
                    ),
                    _fieldset(
                        ids.GROUPS_LABEL,
                        t("groups", lang),
                        dbc.Checklist(
                            id=ids.GROUPS,
                            options=[{"label": t(g, lang), "value": g} for g in groups],
                            value=list(groups),
                            inline=True,
                            class_name="check-row",
                        ),
                    ),
                    _fieldset(
                        ids.SOURCE_LABEL,
                        t("pop_source", lang),
                        dbc.RadioItems(
                            id=ids.SOURCE,
                            name=ids.SOURCE,
                            options=[{"label": t(f"src_{s}", lang), "value": s} for s in POP_SOURCES],
                            value=sel.source,
                            inline=True,
                            class_name="radio-row",
                        ),
                    ),
                ],
                className="controls",
                role="region",
                **{"aria-label": "Selection / Sélection"},
            ),
            html.Main(
                [
                    html.P(id=ids.NOTICE, className="notice", role="status"),
                    html.Dl(id=ids.KPIS, className="kpis"),
                    html.Div(
                        [
                            _card(
                                ids.MAP,
                                ids.MAP_TITLE,
                                [
                                    html.Div(
                                        [
                                            map_container(ds, sel.operation),
                                            html.Div(id=ids.MAP_COUNTRY, className="map-country", role="status"),
                                        ],
                                        className="map-wrap",
                                    ),
                                    html.Div(id=ids.MAP_DETAILS, className="map-details", role="status"),
                                    html.Div(id=ids.MAP_LEGEND),
                                    _table_alt(ids.MAP_TABLE, lang),
                                ],
                                ids.DOWNLOAD_MAP,
                                ids.MAP_SOURCE,
                                lang,
                                title=t("map_title", lang),
                                wide=True,
                                after_download=[html.P(id=ids.MAP_DISCLAIMER, className="disclaimer")],
                            ),
                            _card(
                                ids.PEOPLE,
                                ids.PEOPLE_TITLE,
                                [
                                    html.Div(id=ids.PEOPLE_TOTAL),
                                    html.H3(t("by_group", lang), id=ids.PEOPLE_TITLE + "-by-group"),
                                    _graph(ids.PEOPLE_BREAKDOWN, HEIGHTS["breakdown"]),
                                    html.H3(t("trend", lang), id=ids.PEOPLE_TITLE + "-trend"),
                                    _graph(ids.PEOPLE_TREND, HEIGHTS["trend"]),
                                    _table_alt(ids.PEOPLE_TABLE, lang),
                                ],
                                ids.DOWNLOAD_PEOPLE,
                                ids.PEOPLE_SOURCE,
                                lang,
                            ),
                            _card(
                                ids.BUDGET,
                                ids.BUDGET_TITLE,
                                [
                                    html.Div(id=ids.BUDGET_SUMMARY),
                                    html.H3(id=ids.BUDGET_TITLE + "-years"),
                                    _graph(ids.BUDGET_YEARS, HEIGHTS["years"]),
                                    html.H3(id=ids.BUDGET_TITLE + "-pillars"),
                                    _graph(ids.BUDGET_PILLARS, HEIGHTS["pillars"]),
                                    _table_alt(ids.BUDGET_TABLE, lang),
                                ],
                                ids.DOWNLOAD_BUDGET,
                                ids.BUDGET_SOURCE,
                                lang,
                            ),
                            _card(
                                ids.KEYFIG,
                                ids.KEYFIG_TITLE,
                                [
                                    html.Div(id=ids.KEYFIG_BODY),
                                ],
                                ids.DOWNLOAD_KEYFIG,
                                ids.KEYFIG_SOURCE,
                                lang,
                            ),
                            _card(
                                ids.FEED,
                                ids.FEED_TITLE,
                                [
                                    html.Div(
                                        [
                                            _fieldset(
                                                ids.FEED_DONOR_TYPE_LABEL,
                                                t("donor_type", lang),
                                                dbc.RadioItems(
                                                    id=ids.FEED_DONOR_TYPE,
                                                    name=ids.FEED_DONOR_TYPE,
                                                    options=[
                                                        {"label": t(f"donor_{d}", lang), "value": d}
                                                        for d in DONOR_TYPES
                                                    ],
                                                    value="all",
                                                    inline=True,
                                                    class_name="radio-row",
                                                ),
                                            ),
                                            html.Div(
                                                [
                                                    html.Label(
                                                        t("donor_search", lang),
                                                        htmlFor=ids.FEED_DONOR,
                                                        id=ids.FEED_DONOR_LABEL,
                                                        className="control-label",
                                                    ),
                                                    html.Br(),
                                                    dcc.Input(
                                                        id=ids.FEED_DONOR,
                                                        type="search",
                                                        debounce=True,
                                                        value="",
                                                        maxLength=60,
                                                        autoComplete="off",
                                                    ),
                                                ]
                                            ),
                                        ],
                                        className="feed-filters",
                                    ),
                                    html.P(id=ids.FEED_TOTAL, className="note", role="status"),
                                    html.Div(
                                        dag.AgGrid(
                                            id=ids.FEED_GRID,
                                            columnDefs=column_defs(lang),
                                            rowData=[],
                                            defaultColDef={"sortable": True, "resizable": True, "filter": False},
                                            dashGridOptions={
                                                "domLayout": "autoHeight",
                                                "animateRows": False,
                                                "suppressNoRowsOverlay": True,
                                            },
                                            style={"height": None},
                                        ),
                                        id=ids.FEED_GRID_WRAP,
                                    ),
                                ],
                                ids.DOWNLOAD_FEED,
                                ids.FEED_SOURCE,
                                lang,
                                wide=True,
                            ),
                        ],
                        className="grid",
                    ),
                ],
                id="content",
            ),
        ]
    )
