"""The baseline: a bare Dash app, one dropdown -> one small figure, served like the dashboard."""

from dash import Dash, Input, Output, dcc, html

YEARS = [str(y) for y in range(2014, 2026)]

app = Dash(__name__, compress=True, serve_locally=True, update_title=None)
app.layout = html.Div(
    [
        dcc.Dropdown(id="year", options=YEARS, value="2019", clearable=False),
        dcc.Graph(id="figure"),
    ]
)


@app.callback(Output("figure", "figure"), Input("year", "value"))
def update(year):
    y = int(year)
    return {
        "data": [{"type": "bar", "x": ["a", "b", "c"], "y": [y % 7, y % 5, y % 3]}],
        "layout": {"title": {"text": f"Year {year}"}, "height": 300},
    }


server = app.server
