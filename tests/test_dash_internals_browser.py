"""Each reliance of the page's scripts on Dash or plotly beyond their public API (assets/dash-internals.js),
checked on the real page in headless Chromium: a Dash or plotly upgrade that moves one fails here, by name."""

from __future__ import annotations

import pytest
from dash import dcc
from playwright.sync_api import expect

from dashboard import ids
from dashboard.data import get_dataset
from dashboard.layout import build_layout
from dashboard.selection import from_query
from tests.browser_support import interactive
from tests.tree import components

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)


def graph_ids() -> list[str]:
    """Every dcc.Graph of the page, from the layout Python builds."""
    ds = get_dataset()
    tree = build_layout(ds, from_query(ds, "")[0], "")
    return sorted(c.id for c in components(tree) if isinstance(c, dcc.Graph))


@pytest.fixture
def page(open_page):
    page, watch = open_page("", viewport={"width": 1280, "height": 900})
    interactive(page)
    yield page
    watch.assert_clean()


def test_internals101_graphs_are_every_dcc_graph_element(page):
    expected = graph_ids()
    assert len(expected) >= 4
    found = page.evaluate("() => window.dashboard.dashInternals.graphs().map((g) => g.id).sort()")
    assert found == expected
    # answers.js asks of an element whether it is a chart's: a drawn box is not.
    assert page.evaluate(
        "([graph, box]) => [graph, box].map((id) => window.dashboard.dashInternals.isGraph(document.getElementById(id)))",
        [expected[0], ids.KPIS],
    ) == [True, False]


def test_internals102_plot_of_a_graph_is_the_div_plotly_draws_on(page):
    for graph in graph_ids():
        expect(page.locator(f"#{graph} svg.main-svg").first).to_be_attached()
        # plotly's public Plotly.relayout on the element found redraws that very chart at the width asked.
        width = page.evaluate(
            """(id) => {
              const plot = window.dashboard.dashInternals.plotOf(document.getElementById(id));
              if (!plot || !Array.isArray(plot.data) || !plot.layout) return null;
              return window.Plotly.relayout(plot, {width: 333}).then(
                () => document.querySelector('#' + id + ' svg.main-svg').getAttribute('width'));
            }""",
            graph,
        )
        assert width == "333", graph


def test_internals103_drawn_box_kept_when_dash_renders_the_box_again(page):
    box = page.locator(f"#{ids.KPIS}")
    expect(box.locator(".kpi")).to_have_count(5)
    drawn = box.inner_html()
    # Dash renders the box again with a new prop: React leaves the elements the script drew in it.
    page.evaluate(
        "(id) => window.dash_clientside.set_props(id, {className: 'renders-again'})",
        ids.KPIS,
    )
    expect(box).to_have_class("renders-again")
    assert box.inner_html() == drawn


# Every script's `draw` replaced as it is assigned: the boxes keep only what Dash's renderer put in them.
NO_DRAWING = """
let current = {};
Object.defineProperty(window, "dashboard", {
  configurable: true,
  get: () => current,
  set: (value) => { current = value; current.draw = () => false; },
});
"""


def test_internals104_drawn_box_has_no_element_of_dash(open_page):
    page, watch = open_page("", init_script=NO_DRAWING)
    for box in ids.DRAWN:
        # Dash has rendered the box, its content store inside it, and nothing was drawn: it holds no element.
        expect(page.locator(f"#react-entry-point #{box}")).to_be_attached()
    page.wait_for_function("() => window.dashboard.drawnContent !== undefined")
    counts = page.evaluate(
        "(boxes) => boxes.map((id) => document.getElementById(id).childNodes.length)", list(ids.DRAWN)
    )
    assert counts == [0] * len(ids.DRAWN)
    watch.assert_clean()


def test_internals105_a_chart_shows_the_very_figure_set(page):
    """The stand-in page shows once every chart shows its answer's figure: plotly keeps the `data` dcc.Graph
    hands it, so the object set is the one drawn (a copy of it is not, until set)."""
    graph = graph_ids()[0]
    expect(page.locator(f"#{graph} svg.main-svg").first).to_be_attached()
    before = page.evaluate(
        """(id) => {
          const internals = window.dashboard.dashInternals;
          const element = document.getElementById(id);
          const plot = internals.plotOf(element);
          window.figureSet = {data: JSON.parse(JSON.stringify(plot.data)), layout: {title: {text: "set"}}};
          const shown = internals.showsFigure(element, window.figureSet);
          window.dash_clientside.set_props(id, {figure: window.figureSet});
          return shown;
        }""",
        graph,
    )
    assert before is False
    page.wait_for_function(
        "(id) => window.dashboard.dashInternals.showsFigure(document.getElementById(id), window.figureSet)", arg=graph
    )
    expect(page.locator(f"#{graph} .gtitle")).to_have_text("set")
