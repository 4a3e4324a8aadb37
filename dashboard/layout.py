"""The page frame: address, shared stores, header and controls, then every view's card in page order.

The cards come from the views' registry and are filled, by name, with the requested selection's values, so
the first paint already shows figures; the callbacks then change only what differs.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from . import ids
from .data import Dataset
from .glossary import share_texts
from .i18n import data_version, t, t_plural
from .render import workbook_href
from .selection import POP_SOURCES, Selection, default_selection, operation_groups, operation_years, to_store
from .views import VIEWS


def _fieldset(label_id: str, label: str, control) -> html.Fieldset:
    return html.Fieldset([html.Legend(label, id=label_id), control])


def _radio(control_id: str, options: list, value, **extra) -> dbc.RadioItems:
    return dbc.RadioItems(
        id=control_id,
        name=control_id,
        options=options,
        value=value,
        inline=True,
        **({"class_name": "radio-row"} | extra),
    )


def labels(ds: Dataset, operation: str, lang: str) -> dict:
    """The frame's texts and options, by name: they depend on the operation and the language only."""
    name = ds.operations.loc[operation, "name_fr" if lang == "fr" else "name_en"]
    return {
        "title": t("app_title", lang),
        "subtitle": t("subtitle", lang, name=name),
        "operation_label": t("operation", lang),
        "year_label": t("year", lang),
        "year_options": [{"label": str(y), "value": str(y)} for y in operation_years(ds, operation)],
        "groups_label": t("groups", lang),
        "groups_options": [{"label": t(g, lang), "value": g} for g in operation_groups(ds, operation)],
        "source_label": t("pop_source", lang),
        "source_options": [{"label": t(f"src_{s}", lang), "value": s} for s in POP_SOURCES],
        "skip_link": t("skip_link", lang),
        "workbook": t("download_xlsx", lang),
        "copy_link": share_texts(lang)["label"],
        "copy_texts": share_texts(lang),
        "data_stamp": data_version("data_stamp", ds.version, ds.as_of, lang),
    }


def summary(ds: Dataset, sel: Selection) -> str:
    """The selection in one line, for the folded controls on a phone: '2019 · 9 groups · Operation page'."""
    known = operation_groups(ds, sel.operation)
    groups = t("all_groups", sel.lang) if sel.groups == known else t_plural("groups_count", len(sel.groups), sel.lang)
    return " · ".join((str(sel.year), groups, t(f"src_{sel.source}", sel.lang)))


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
        props = by_id.get(getattr(node, "id", None))
        if props:
            for prop, value in props.items():
                setattr(node, prop, value)
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)


def build_layout(ds: Dataset, sel: Selection | None = None, notice: str = "") -> html.Div:
    """The page for `sel` (the default selection without one), every view filled; `notice` above the views."""
    sel = sel or default_selection(ds)
    lang = sel.lang
    text = labels(ds, sel.operation, lang)
    several_ops = len(ds.operations) > 1
    controls = html.Details(
        [
            html.Summary(summary(ds, sel), id=ids.CONTROLS_SUMMARY, className="controls-summary"),
            html.Div(
                [
                    html.Div(
                        _fieldset(
                            ids.OPERATION_LABEL,
                            text["operation_label"],
                            _radio(
                                ids.OPERATION,
                                [{"label": ds.operations.loc[o, "name_en"], "value": o} for o in ds.operations.index],
                                sel.operation,
                            ),
                        ),
                        style={} if several_ops else {"display": "none"},
                    ),
                    _fieldset(
                        ids.YEAR_LABEL,
                        text["year_label"],
                        _radio(
                            ids.YEAR,
                            text["year_options"],
                            str(sel.year),
                            class_name="radio-row year-row",
                            label_checked_class_name="checked",
                        ),
                    ),
                    _fieldset(
                        ids.GROUPS_LABEL,
                        text["groups_label"],
                        dbc.Checklist(
                            id=ids.GROUPS,
                            options=text["groups_options"],
                            value=list(sel.groups),
                            inline=True,
                            class_name="check-row",
                        ),
                    ),
                    _fieldset(
                        ids.SOURCE_LABEL, text["source_label"], _radio(ids.SOURCE, text["source_options"], sel.source)
                    ),
                ],
                className="controls",
                role="region",
                **{"aria-label": "Selection / Sélection"},
            ),
        ],
        className="controls-fold",
    )
    cards = [view.card(ds, sel) for view in VIEWS]
    apply(cards, {key: value for view in VIEWS for key, value in view.fill(ds, sel).items()})
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTION, data=to_store(sel)),
            dcc.Store(id=ids.FRAME, data={"op": sel.operation, "lang": lang}),
            dcc.Store(id=ids.OPERATION_SHOWN, data=sel.operation),
            dcc.Store(id=ids.DATA_VERSION, data=ds.version),
            dcc.Store(id=ids.RELOAD),
            html.A(text["skip_link"], href=f"#{ids.CONTENT}", className="skip-link", id=ids.SKIP_LINK),
            html.Header(
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
                        _radio(
                            ids.LANG, [{"label": "English", "value": "en"}, {"label": "Français", "value": "fr"}], lang
                        ),
                    ),
                ],
                className="top",
            ),
            controls,
            html.Main(
                [
                    html.P(notice, id=ids.NOTICE, className="notice", role="status"),
                    html.Div(
                        [
                            html.A(
                                text["workbook"],
                                id=ids.DOWNLOAD_WORKBOOK,
                                className="download",
                                href=workbook_href(ds, sel),
                                download="",
                            ),
                            html.Button(
                                text["copy_link"], id=ids.COPY_LINK, className="download", n_clicks=0, type="button"
                            ),
                            html.Span(id=ids.COPY_LINK_STATUS, role="status", className="note"),
                            dcc.Store(id=ids.COPY_LINK_TEXTS, data=text["copy_texts"]),
                        ],
                        className="toolbar page-toolbar",
                    ),
                    html.Div(cards, className="grid"),
                ],
                id=ids.CONTENT,
            ),
        ]
    )
