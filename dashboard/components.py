"""Small Dash component builders shared by the layout and the callbacks (view model -> components)."""

from __future__ import annotations

from dash import html

from .builders.common import Table


def data_table(table: Table, caption: str) -> html.Table:
    """An HTML table with a caption and header cells: the chart's alternative for keyboards and readers."""
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in table.header])),
            html.Tbody(
                [
                    html.Tr([html.Th(row[0], scope="row")] + [html.Td(cell, className="num") for cell in row[1:]])
                    for row in table.rows
                ]
            ),
        ],
        className="data",
    )


def notes(lines) -> list:
    return [html.P(line, className="note") for line in lines]


def kpi_list(items) -> list:
    return [
        html.Div([html.Dt(label), html.Dd(value), html.Dd(detail, className="detail")], className="kpi")
        for label, value, detail in items
    ]


def key_figures(view) -> list:
    if not view.sections:
        return [html.P(view.empty_text, className="note")]
    out = []
    for title, items in view.sections:
        out.append(html.H3(title))
        out.append(
            html.Ul(
                [html.Li([html.Strong(value), html.Span(label)]) for value, label in items], className="keyfig-list"
            )
        )
    return out


def region_legend(view) -> list:
    return [
        html.P(view.legend_title, className="note"),
        html.Ul(
            [
                html.Li([html.Span(className="swatch", style={"background": colour}), text])
                for colour, text in view.legend
            ],
            className="legend",
        ),
        html.P(view.offices_title, className="note"),
        html.Ul(
            [
                html.Li([html.Span(html.Span(), className=f"office-icon office-{kind}"), text])
                for kind, text in view.office_legend
            ],
            className="legend",
        ),
    ] + notes(view.notes)


def office_panel(details: dict | None, hint: str) -> list:
    if not details:
        return [html.Span(hint)]
    return [
        html.Strong(details["name"]),
        html.Span(f" — {details['type']}. {details['as_of']}."),
        html.Br(),
        html.Span(details["source"], className="source"),
    ]
