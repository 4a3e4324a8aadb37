"""The page frame: address, shared stores, header and controls, then every view's card in page order.

The cards come from the views' registry and are filled, by name, with the requested selection's values, and
every control shows its field of the selection (`selection.CONTROL_IDS`), so the first paint already shows
figures; the callbacks then change only what differs.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from . import ids
from .data import Dataset
from .glossary import share_texts
from .i18n import data_version, date, source_field, t, t_plural
from .names import operation_name
from .render import workbook_href
from .selection import (
    CONTROL_IDS,
    POP_SOURCES,
    Selection,
    control_values,
    default_selection,
    operation_groups,
    operation_years,
    to_store,
    year_field,
    year_name,
)
from .views import VIEWS


def _fieldset(label_id: str, label: str, control) -> html.Fieldset:
    return html.Fieldset([html.Legend(label, id=label_id), control])


def _radio(control_id: str, options: list, **extra) -> dbc.RadioItems:
    return dbc.RadioItems(
        id=control_id,
        name=control_id,
        options=options,
        inline=True,
        **({"class_name": "radio-row"} | extra),
    )


def labels(ds: Dataset, operation: str, lang: str) -> dict:
    """The frame's texts and options, by name: they depend on the operation and the language only."""
    name = operation_name(ds, operation, lang)
    return {
        "title": t("app_title", lang),
        "subtitle": t("subtitle", lang, name=name),
        "operation_label": t("operation", lang),
        "year_label": t("year", lang),
        "year_options": [
            {"label": year_name(ds, operation, y, lang), "value": year_field(y)} for y in operation_years(ds, operation)
        ],
        "groups_label": t("groups", lang),
        "groups_options": group_options(operation_groups(ds, operation), lang),
        "groups_all": t("all_groups_button", lang),
        "source_label": t("pop_source", lang),
        "source_options": [{"label": t(f"src_{s}", lang), "value": s} for s in POP_SOURCES],
        "skip_link": t("skip_link", lang),
        "workbook": t("download_xlsx", lang),
        "copy_link": share_texts(lang)["label"],
        "link_copied": share_texts(lang)["copied"],
        "data_stamp": data_stamp(ds, lang),
    }


def data_stamp(ds: Dataset, lang: str) -> str:
    """'Newest figures: UNHCR Refugee Data Finder, as of 31 Dec 2025 · data version …': the latest date any
    figure refers to, and whose figures those are."""
    what = newest_source(ds)
    if what is None:
        return data_version("data_stamp", ds.version, ds.as_of, lang)
    citation = source_field(ds.source(what), "citation", lang)
    return t("data_stamp_what", lang, what=citation, date=date(ds.as_of, lang), version=ds.version)


def newest_source(ds: Dataset) -> str | None:
    """The source of the figures dated `ds.as_of` (the data's latest reference date), if one file row has it."""
    for name in ("population_groups", "population_totals", "region_figures", "country_population", "offices"):
        frame = getattr(ds, name)
        rows = frame[frame["as_of"].astype(str).str[:10] == ds.as_of]
        if not rows.empty:
            return str(rows["source"].iloc[0])
    return None


def only_buttons(groups: tuple[str, ...], lang: str) -> list[html.Button]:
    """'only' beside each group's box: one tap selects that group alone. The name says which group."""
    return [
        html.Button(
            t("only", lang),
            id=ids.only_of(g),
            className="only",
            type="button",
            n_clicks=0,
            **{"aria-label": t("only_group", lang, group=t(g, lang))},
        )
        for g in groups
    ]


def group_options(groups: tuple[str, ...], lang: str) -> list[dict]:
    """The group boxes' options: each label holds the group's name and its 'only' button, so the button comes
    right after its box in the keyboard order and sits beside its name. A click on the button does not toggle
    the box (a label does nothing for a click on an interactive element inside it); the boxes' values are
    the groups, as before. The box is named by the name alone (assets/controls.js: nameBoxes)."""
    return [
        {"label": [html.Span(t(g, lang), id=ids.group_name_of(g), className="group-name"), only], "value": g}
        for g, only in zip(groups, only_buttons(groups, lang), strict=True)
    ]


def summary(ds: Dataset, sel: Selection) -> str:
    """The selection in one line, for the folded controls on a phone: '2019 · 9 groups · Operation page',
    '2018 · Refugees · Operation page' when one group is chosen."""
    known = operation_groups(ds, sel.operation)
    if sel.groups == known:
        groups = t("all_groups", sel.lang)
    elif len(sel.groups) == 1:
        groups = t(sel.groups[0], sel.lang)
    elif not sel.groups:
        groups = t("none_selected", sel.lang)
    else:
        groups = t_plural("groups_count", len(sel.groups), sel.lang)
    year = year_name(ds, sel.operation, sel.year, sel.lang, sel.source)
    return " · ".join((year, groups, t(f"src_{sel.source}", sel.lang)))


def apply(component, values: dict) -> None:
    """Set each `(id, property): value` on the component of that id in the tree (ids are unique)."""
    by_id: dict[str, dict] = {}
    for (component_id, prop), value in values.items():
        by_id.setdefault(component_id, {})[prop] = value
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
            continue
        node_id = getattr(node, "id", None)
        props = by_id.get(node_id) if isinstance(node_id, str) else None  # pattern ids (dicts) are never set here
        if props:
            for prop, value in props.items():
                setattr(node, prop, value)
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)


def _group_picker(text: dict) -> html.Div:
    """'All groups', then the group boxes, each with its 'only' button (`group_options`)."""
    return html.Div(
        [
            html.Button(text["groups_all"], id=ids.GROUPS_ALL, className="all-groups", type="button", n_clicks=0),
            dbc.Checklist(id=ids.GROUPS, options=text["groups_options"], inline=True, class_name="check-row group-row"),
        ]
    )


def controls(ds: Dataset, sel: Selection, text: dict) -> html.Details:
    """The selection controls (operation, year, groups, source), folded on a phone under the one-line summary.
    The operation's choice is hidden when the data holds one operation."""
    several_ops = len(ds.operations) > 1
    # The published English names, in either language (the options are built once).
    operations = [{"label": operation_name(ds, o, "en"), "value": o} for o in ds.operations.index]
    year = _radio(ids.YEAR, text["year_options"], class_name="radio-row year-row", label_checked_class_name="checked")
    return html.Details(
        [
            html.Summary(summary(ds, sel), id=ids.CONTROLS_SUMMARY, className="controls-summary"),
            html.Div(
                [
                    html.Div(
                        _fieldset(ids.OPERATION_LABEL, text["operation_label"], _radio(ids.OPERATION, operations)),
                        style={} if several_ops else {"display": "none"},
                    ),
                    _fieldset(ids.YEAR_LABEL, text["year_label"], year),
                    _fieldset(ids.GROUPS_LABEL, text["groups_label"], _group_picker(text)),
                    _fieldset(ids.SOURCE_LABEL, text["source_label"], _radio(ids.SOURCE, text["source_options"])),
                ],
                className="controls",
                role="region",
                **{"aria-label": "Selection / Sélection"},
            ),
        ],
        className="controls-fold",
    )


def stores(ds: Dataset, sel: Selection) -> list:
    """The address and the page's shared state: the selection shown, its frame, its operation, the data version."""
    return [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.SELECTION, data=to_store(sel)),
        dcc.Store(id=ids.FRAME, data={"op": sel.operation, "lang": sel.lang}),
        dcc.Store(id=ids.OPERATION_SHOWN, data=sel.operation),
        dcc.Store(id=ids.DATA_VERSION, data=ds.version),
        dcc.Store(id=ids.RELOAD),
    ]


def header(text: dict) -> html.Header:
    """Title, operation, the newest figures' date, and the language choice."""
    return html.Header(
        [
            html.Div(
                [
                    html.H1(text["title"], id=ids.TITLE),
                    html.P(text["subtitle"], id=ids.SUBTITLE),
                    html.P(text["data_stamp"], id=ids.DATA_STAMP, className="note data-stamp"),
                ]
            ),
            _fieldset(
                ids.LANG_LABEL,
                # Both languages name the choice; the English word is marked as English.
                [html.Span("Language", lang="en"), " / ", html.Span("Langue", lang="fr")],
                _radio(ids.LANG, [{"label": "English", "value": "en"}, {"label": "Français", "value": "fr"}]),
            ),
        ],
        className="top",
    )


def copy_link(text: dict) -> html.Span:
    """ "Copy link": Dash's clipboard copies the page's address as it is when pressed (callbacks.py sets its
    `content`), a real button inside it, which says the link was copied once it is (announced: a live region).
    Browsers give a page the clipboard in a secure context only (https, localhost): elsewhere Dash shows no
    button, and the address bar holds the same link."""
    return html.Span(
        dcc.Clipboard(
            html.Button(text["copy_link"], id=ids.COPY_LINK_LABEL, className="download", type="button"),
            id=ids.COPY_LINK,
            copied_children=html.Button(text["link_copied"], id=ids.LINK_COPIED, className="download", type="button"),
        ),
        className="copy-link",
        **{"aria-live": "polite"},
    )


def toolbar(ds: Dataset, sel: Selection, text: dict) -> html.Div:
    """The page's own actions: the workbook of the selection and a copy of its link."""
    return html.Div(
        [
            html.A(
                text["workbook"],
                id=ids.DOWNLOAD_WORKBOOK,
                className="download",
                href=workbook_href(ds, sel),
                download="",
            ),
            copy_link(text),
        ],
        className="toolbar page-toolbar",
    )


def view_cards(ds: Dataset, sel: Selection) -> list:
    """Every view's card in page order, filled by name with the selection's values; the charts' figures in one
    store (ids.FIGURES_AT_LOAD) instead of on their graphs, so the page draws each chart when it comes near the
    screen (assets/answers.js, drawAtLoad): a phone shows none at load, and drawing all four took 1.3 s."""
    cards = [view.card(ds, sel) for view in VIEWS]
    fills = {key: value for view in VIEWS for key, value in view.fill(ds, sel).items()}
    apply(cards, {key: value for key, value in fills.items() if key[1] != "figure"})
    figures = {component: value for (component, prop), value in fills.items() if prop == "figure"}
    return [*cards, dcc.Store(id=ids.FIGURES_AT_LOAD, data=figures)]


def build_layout(ds: Dataset, sel: Selection | None = None, notice: str = "") -> html.Div:
    """The page for `sel` (the default selection without one), every view filled; `notice` above the views."""
    sel = sel or default_selection(ds)
    text = labels(ds, sel.operation, sel.lang)
    page = html.Div(
        [
            *stores(ds, sel),
            html.A(text["skip_link"], href=f"#{ids.CONTENT}", className="skip-link", id=ids.SKIP_LINK),
            header(text),
            controls(ds, sel, text),
            html.Main(
                [
                    html.P(notice, id=ids.NOTICE, className="notice", role="status"),
                    toolbar(ds, sel, text),
                    html.Div(view_cards(ds, sel), className="grid"),
                ],
                id=ids.CONTENT,
            ),
        ]
    )
    apply(page, {(CONTROL_IDS[name], "value"): value for name, value in control_values(sel).items()})
    return page
