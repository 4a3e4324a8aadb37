"""Thin callbacks, wired by name: each unpacks its inputs, calls the selection rules and the views, returns.

`register_callbacks(app, get_ds)` binds them to one app. The plain functions (`update`, `frame_labels`,
`map_details`) take and return dicts keyed by name, so tests call them directly. Every value
from the browser goes through `selection`, so a malformed request gets defaults, not a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import cache

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
    default_selection,
    from_store,
    operation_years,
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
    "copy_link": (ids.COPY_LINK_LABEL, "children"),
    "link_copied": (ids.LINK_COPIED, "children"),
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
# The browser's choice callback (assets/answers.js): its arguments by name, in order.
CHOICE_ARGUMENTS = (
    "search",
    *(f"controls.{name}" for name in CONTROL_IDS),
    "click",
    "shown",
    "frame",
    "operation_shown",
    "version",
    "notice",
)
# Its outputs: what every choice changes, by name, then the views' properties (`choice_views`). Dash applies a
# callback's outputs in one pass, but updates its store once for every component among them, changed or not;
# what a choice seldom changes (the controls, the notice, the language, the operation, the frame's texts, the
# views' texts that follow the language only) is set on its own (`set_props`) when it does change.
CHOICE_OUTPUTS = {
    "selection": (ids.SELECTION, "data"),
    "url": (ids.URL, "search"),
    "workbook": (ids.DOWNLOAD_WORKBOOK, "href"),
    "summary": (ids.CONTROLS_SUMMARY, "children"),
}
# Set on its own when it changes (a component id and a property, by name).
CHOICE_SET_APART = {
    "notice": (ids.NOTICE, "children"),
    "frame": (ids.FRAME, "data"),
    "operation_shown": (ids.OPERATION_SHOWN, "data"),
}


@cache
def choice_views(ds: Dataset) -> tuple[tuple[str, str], ...]:
    """The views' properties (component id, property) that a choice of figures changes: those that differ between
    the operation's default selection and the year before it, a year in the middle of the earlier ones, or one group
    fewer, in page order. The others (titles, sources, glossary, the map's names and shapes, chart settings) follow
    the language and operation only; one that differs all the same is set on its own (assets/answers.js)."""
    sel = default_selection(ds)
    years = operation_years(ds, sel.operation)
    before = [year for year in years if year < sel.year]
    others = [replace(sel, year=year) for year in {before[-1], before[len(before) // 2]}] if before else []
    if len(sel.groups) > 1:
        others.append(replace(sel, groups=sel.groups[1:]))
    base = render.texts(ds, sel)
    varying = {key for other in others for key, text in render.texts(ds, other).items() if base.get(key) != text}
    return tuple(key for key in base if key in varying)


# Also set by another callback (a click on the map's layers): a duplicate output in the frame's callback.
SHARED_OUTPUTS = ((ids.MAP_DETAILS, "children"),)


def frame_views(ds: Dataset) -> tuple[tuple[str, str], ...]:
    """What else a choice's answer sets: the views' properties that follow the language and operation only, the
    frame's texts and options, the map's details panel. They are the outputs of the frame's callback, which runs
    when the frame (language, operation) changes: a language switch is two updates, not one per component."""
    varying = set(choice_views(ds))
    return (
        *(key for key in render.texts(ds, default_selection(ds)) if key not in varying),
        *LABEL_OUTPUTS.values(),
        *SHARED_OUTPUTS,
    )


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
    _register_choice(app, get_ds())
    _register_map(app, get_ds)
    _register_page_scripts(app)


def _register_choice(app, ds: Dataset) -> None:
    """Every choice is answered in the browser from kept answers (/answers/<code>/<version>?<selection>, served by
    dashboard/answers.py from `update`): no request when the answer is held, at most one GET otherwise.
    The arguments come in the order of CHOICE_ARGUMENTS; the outputs are CHOICE_OUTPUTS' then `choice_views`'
    (a clientside callback takes no dict of outputs), so what a choice changes reaches the page in one update;
    when the frame (language, operation) changes, the frame's callback sets `frame_views` in a second one."""
    app.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="choose"),
        [Output(cid, prop) for cid, prop in (*CHOICE_OUTPUTS.values(), *choice_views(ds))],
        [Input(ids.URL, "search")]
        + [Input(cid, "value") for cid in CONTROL_IDS.values()]
        + [Input(ids.BUDGET_YEARS, "clickData")],
        [
            State(ids.SELECTION, "data"),
            State(ids.FRAME, "data"),
            State(ids.OPERATION_SHOWN, "data"),
            State(ids.DATA_VERSION, "data"),
            State(ids.NOTICE, "children"),
        ],
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="frameTexts"),
        [Output(cid, prop, allow_duplicate=(cid, prop) in SHARED_OUTPUTS) for cid, prop in frame_views(ds)],
        Input(ids.FRAME, "data"),
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
    """The page's own scripts: the address the link copies, one-tap group choices, reloading on other data, drawing boxes,
    the page's language."""
    # "Copy link" copies the address as it is when pressed: the choices move it without a callback of Dash's.
    app.clientside_callback(
        "function () { return window.location.href; }",
        Output(ids.COPY_LINK, "content"),
        Input(ids.COPY_LINK, "n_clicks"),
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
