/* Where the page's scripts rely on Dash or plotly beyond their public API (dash_clientside, set_props, Patch,
 * documented props, Plotly.react/relayout): here only, each reliance named, and each checked on a real page by
 * tests/test_dash_internals_browser.py, so a Dash or plotly upgrade that moves one fails there by name.
 *
 * - A dcc.Graph's element, found by its class `dash-graph` (Dash documents only its `className` prop): printing
 *   (assets/print.js, and print.css's zoom) redraws every chart, and answers.js defers a chart off screen.
 * - plotly's graph div inside it, class `js-plotly-plot`: the element Plotly.react/relayout draw on, and
 *   whose `layout` says it is drawn. Dash does not hand it out; a script that redraws a chart at once
 *   (printing lays the page out as soon as its handlers return) needs it.
 * - Which figure a chart shows: dcc.Graph hands its `figure` prop's `data` to Plotly.react as it is, and
 *   plotly keeps it as the graph div's `data`, so the very array set (set_props) is there once plotly has drawn
 *   it (the stand-in page, assets/offline.js, shows only once every chart shows its own answer's figure).
 * - A drawn box (views.common.drawn) is an html.Div whose only React child is a dcc.Store, which renders no
 *   element: its elements are this script's to replace, and React, re-rendering the box, leaves them.
 *
 * The page's config comes from Python the public way (a JSON block, dashboard/answers.py); the first view
 * (#ssr) is the server's own element outside Dash's #react-entry-point: neither is a reliance on Dash.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  dashInternals: {
    GRAPH_CLASS: "dash-graph",
    PLOT_CLASS: "js-plotly-plot",

    // Every dcc.Graph's element on the page.
    graphs: function () {
      return Array.prototype.slice.call(document.getElementsByClassName(this.GRAPH_CLASS));
    },

    // Is `element` a dcc.Graph's element?
    isGraph: function (element) {
      return !!element && element.classList.contains(this.GRAPH_CLASS);
    },

    // plotly's graph div inside a dcc.Graph's element (null before plotly has drawn it, or for another element).
    plotOf: function (graph) {
      return graph ? graph.querySelector("." + this.PLOT_CLASS) : null;
    },

    // Whether plotly has drawn `figure` (the very object set as the graph's prop) in a dcc.Graph's element.
    showsFigure: function (graph, figure) {
      var plot = this.plotOf(graph);
      return !!plot && !!figure && plot.data === figure.data;
    },

    // A drawn box's elements replaced by `fragment` (the box's React child, a dcc.Store, has no element).
    fillBox: function (box, fragment) {
      box.replaceChildren(fragment);
    },
  },
});
