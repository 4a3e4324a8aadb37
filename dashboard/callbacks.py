"""Thin callbacks, wired by name: each unpacks its inputs, calls the selection rules and the views, returns.

`register_callbacks(app, get_ds)` binds them to one app. The plain functions (`update`, `frame_labels`,
`map_details`) take and return dicts keyed by name, so tests call them directly. Every value
from the browser goes through `selection`, so a malformed request gets defaults, not a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, no_update, set_props

from . import ids, render
from .data import Dataset
from .i18n import LEAFLET, best_lang, data_version
from .layout import labels, summary
from .selection import (
    ADDRESS,
    BAR_CLICK,
    CONTROL_IDS,
    CONTROLS,
    OPERATION_CHANGE,
    control_values,
    from_store,
    resolve,
    to_query,
    to_store,
)
from .views import mapview

MAP_LAYERS = (ids.MAP_OFFICES, ids.MAP_REGIONS, ids.MAP_MENAKA)
LABEL_OUTPUTS = {
    "title": (ids.TITLE, "children"),
    "subtitle": (ids.SUBTITLE, "children"),
    "operation_label": (ids.OPERATION_LABEL, "children"),
    "year_label": (ids.YEAR_LABEL, "children"),
    "year_options": (ids.YEAR, "options"),
    "groups_label": (ids.GROUPS_LABEL, "children"),
    "groups_options": (ids.GROUPS, "options"),
    "groups_all": (ids.GROUPS_ALL, "children"),
    "source_label": (ids.SOURCE_LABEL, "children"),
    "source_options": (ids.SOURCE, "options"),
    "skip_link": (ids.SKIP_LINK, "children"),
    "workbook": (ids.DOWNLOAD_WORKBOOK, "children"),
    "copy_link": (ids.COPY_LINK, "children"),
    "copy_texts": (ids.COPY_LINK_TEXTS, "data"),
    "data_stamp": (ids.DATA_STAMP, "children"),
}
MAP_LAYER_OUTPUTS = {
    "outline": (ids.MAP_OUTLINE, "data"),
    "regions": (ids.MAP_REGIONS, "data"),
    "points": (ids.MAP_MENAKA, "data"),
    "offices": (ids.MAP_OFFICES, "data"),
    "viewport": (ids.MAP_LEAFLET, "viewport"),
}


def cause_of(trigger) -> str:
    """Which rule of `selection.resolve` a triggering component calls for."""
    if trigger == ids.BUDGET_YEARS:
        return BAR_CLICK
    if trigger == ids.OPERATION:
        return OPERATION_CHANGE
    if isinstance(trigger, str) and trigger in CONTROL_IDS.values():
        return CONTROLS
    return ADDRESS


def whole_page(ds: Dataset, sel) -> dict[str, dict[str, object]]:
    """Everything on the page that comes from the data, for `sel`: every view, the frame's texts and options,
    the map's layers and details panel, and the data version, as `{component id: {property: value}}`."""
    out = render.updates(ds, None, sel)
    for outputs, values in (
        (LABEL_OUTPUTS, labels(ds, sel.operation, sel.lang)),
        (MAP_LAYER_OUTPUTS, mapview.layers(ds, sel.operation)),
    ):
        for name, (component, prop) in outputs.items():
            out.setdefault(component, {})[prop] = values[name]
    out[ids.MAP_DETAILS] = {"children": mapview.details(ds, sel, None, None)}
    out[ids.DATA_VERSION] = {"data": ds.version}
    return out


def is_stale(ds: Dataset, version) -> bool:
    """Whether a page that says it shows data `version` shows other data than the server's (or does not say)."""
    return version != ds.version


def update(
    ds: Dataset,
    trigger,
    search,
    controls,
    click=None,
    shown=None,
    frame=None,
    operation_shown=None,
    accept=None,
    version=None,
) -> dict:
    """One round trip per interaction: the selection, controls, address, notice and each view's changes.

    `shown` is the selection on screen: only view properties that differ from it are in `views`. A page that
    shows another `version` of the data (the server restarted on new data, or another instance answered)
    gets the whole page instead (`whole_page`) and a notice that the figures were updated, so it never shows
    figures of two versions; `version=None` (a direct call) means the page shows the server's data. Returns
    the outputs named in OUTPUT_NAMES plus `views`, `{component id: {property: value}}` for `set_props`,
    empty when nothing changes.
    """
    cause = cause_of(trigger)
    resolved = resolve(ds, cause, search, controls, click, fallback_lang=best_lang(accept))
    if resolved is None:
        return dict.fromkeys(OUTPUT_NAMES, no_update) | {"controls": dict.fromkeys(CONTROL_IDS, no_update), "views": {}}
    sel, notice = resolved
    stale = version is not None and is_stale(ds, version)
    if stale:
        updated = data_version("data_updated", ds.version, ds.as_of, sel.lang)
        notice = f"{updated} {notice}".strip()
    store = to_store(sel)
    query = to_query(ds, sel)
    new_frame = {"op": sel.operation, "lang": sel.lang}
    before = from_store(ds, shown) if isinstance(shown, dict) else None
    return {
        "controls": control_values(sel),
        "selection": store,
        "url": query if cause != ADDRESS and query != search else no_update,
        "notice": notice,
        "frame": new_frame if new_frame != frame else no_update,
        "operation_shown": sel.operation if sel.operation != operation_shown else no_update,
        "workbook": render.workbook_href(ds, sel),
        "summary": summary(ds, sel),
        "views": whole_page(ds, sel) if stale else render.updates(ds, before, sel),
    }


OUTPUT_NAMES = ("controls", "selection", "url", "notice", "frame", "operation_shown", "workbook", "summary")
# The browser's choice callback (assets/answers.js): its arguments and outputs by name, in order.
CHOICE_ARGUMENTS = (
    "search",
    *(f"controls.{name}" for name in CONTROL_IDS),
    "click",
    "shown",
    "frame",
    "operation_shown",
    "version",
)
CHOICE_OUTPUTS = (*(f"controls.{name}" for name in CONTROL_IDS), *OUTPUT_NAMES[1:])


def frame_labels(ds: Dataset, frame) -> dict:
    """The header's and the controls' texts and options for the frame's operation and language."""
    sel = from_store(ds, frame)
    return labels(ds, sel.operation, sel.lang)


def map_details(ds: Dataset, trigger, clicked: dict, shown) -> list:
    """The details panel for the layer that was clicked (a hint when the trigger is anything else)."""
    layer = trigger if isinstance(trigger, str) and trigger in MAP_LAYERS else None
    click = clicked.get(layer) if layer and isinstance(clicked, dict) else None
    return mapview.details(ds, from_store(ds, shown), layer, click)


def register_callbacks(app, get_ds: Callable[[], Dataset]) -> None:
    """Bind the callbacks to `app`; `get_ds` returns the (cached) dataset."""
    _register_choice(app)
    _register_map(app, get_ds)
    _register_page_scripts(app)


def _register_choice(app) -> None:
    """Every choice is answered in the browser from kept answers (/answers/<version>?<selection>, served by
    dashboard/answers.py from `update`): no request when the answer is held, at most one GET otherwise.
    The arguments come in the order of CHOICE_ARGUMENTS, the outputs in the order of CHOICE_OUTPUTS."""
    app.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="choose"),
        [Output(cid, "value") for cid in CONTROL_IDS.values()]
        + [
            Output(ids.SELECTION, "data"),
            Output(ids.URL, "search"),
            Output(ids.NOTICE, "children"),
            Output(ids.FRAME, "data"),
            Output(ids.OPERATION_SHOWN, "data"),
            Output(ids.DOWNLOAD_WORKBOOK, "href"),
            Output(ids.CONTROLS_SUMMARY, "children"),
        ],
        [Input(ids.URL, "search")]
        + [Input(cid, "value") for cid in CONTROL_IDS.values()]
        + [Input(ids.BUDGET_YEARS, "clickData")],
        [
            State(ids.SELECTION, "data"),
            State(ids.FRAME, "data"),
            State(ids.OPERATION_SHOWN, "data"),
            State(ids.DATA_VERSION, "data"),
        ],
        prevent_initial_call=True,
    )


def _register_map(app, get_ds: Callable[[], Dataset]) -> None:
    """The map's server callbacks: its layers when the operation changes, the details of a clicked feature."""

    def answerable(version) -> Dataset | None:
        """The dataset when the page shows its version; otherwise None, and the page is told to reload: an
        answer to one part of the page cannot make the whole page agree with the server's data."""
        ds = get_ds()
        if is_stale(ds, version):
            set_props(ids.RELOAD, {"data": ds.version})
            return None
        return ds

    @app.callback(
        output={name: Output(cid, prop) for name, (cid, prop) in MAP_LAYER_OUTPUTS.items()},
        inputs={"operation": Input(ids.OPERATION_SHOWN, "data")},
        state={"version": State(ids.DATA_VERSION, "data")},
        prevent_initial_call=True,
    )
    def _map_layers(operation, version):
        ds = answerable(version)
        if ds is None:
            return dict.fromkeys(MAP_LAYER_OUTPUTS, no_update)
        return mapview.layers(ds, from_store(ds, {"op": operation}).operation)

    @app.callback(
        Output(ids.MAP_DETAILS, "children"),
        inputs={"clicks": {layer: Input(layer, "n_clicks") for layer in MAP_LAYERS}},
        state={
            "clicked": {layer: State(layer, "clickData") for layer in MAP_LAYERS},
            "shown": State(ids.SELECTION, "data"),
            "version": State(ids.DATA_VERSION, "data"),
        },
        prevent_initial_call=True,
    )
    def _map_details(clicks, clicked, shown, version):
        ds = answerable(version)
        if ds is None:
            return no_update
        return map_details(ds, ctx.triggered_id, clicked, shown)


def _register_page_scripts(app) -> None:
    """The page's own scripts: copying the link, one-tap group choices, reloading on other data, drawing boxes,
    the page's language."""
    app.clientside_callback(
        "function (n, texts) { return window.dashboard.share.copyLink(n, texts); }",
        Output(ids.COPY_LINK_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        State(ids.COPY_LINK_TEXTS, "data"),
        prevent_initial_call=True,
    )
    # "All groups" and "only this group" set the group boxes in the browser; the boxes then make the choice.
    app.clientside_callback(
        "function (all, only, options) { return window.dashboard.controls.pickGroups(options); }",
        Output(ids.GROUPS, "value", allow_duplicate=True),
        Input(ids.GROUPS_ALL, "n_clicks"),
        Input(ids.only_of(ALL), "n_clicks"),
        State(ids.GROUPS, "options"),
        prevent_initial_call=True,
    )
    # Each group's box is named by its group's name only, not also by the "only" button its label holds.
    app.clientside_callback(
        "function () { window.dashboard.controls.nameBoxes(" + json.dumps(ids.GROUPS) + "); }",
        Input(ids.GROUPS, "options"),
    )
    app.clientside_callback(
        "function (version) { return window.dashboard.reloadIfStale(version); }",
        Output(ids.RELOAD, "clear_data"),
        Input(ids.RELOAD, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        "function (version) { return window.dashboard.noteVersion(version); }",
        Output(ids.DATA_VERSION, "clear_data"),
        Input(ids.DATA_VERSION, "data"),
    )
    # One callback for every drawn box: an answer that changes several of them makes one callback run.
    boxes = {ids.content_of(box): box for box in ids.DRAWN}
    app.clientside_callback(
        "function () { window.dashboard.drawChanged(" + json.dumps(boxes) + "); }",
        [Input(store, "data") for store in boxes],
    )
    # The charts' first figures: drawn now near the screen, the others as they come near it.
    app.clientside_callback(
        "function (figures) { window.dashboard.answers.drawAtLoad(figures); }",
        Input(ids.FIGURES_AT_LOAD, "data"),
    )
    app.clientside_callback(
        "function (frame) { return window.dashboard.setLanguage(frame, " + json.dumps(LEAFLET) + "); }",
        Output(ids.CONTENT, "lang"),
        Input(ids.FRAME, "data"),
    )
