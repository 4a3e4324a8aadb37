/* Printing: just before the browser lays the page out on paper, fit the map and the charts to the page width
 * and open every table alternative (details.table-alt) and the folded controls; put the screen back afterwards.
 * Leaflet and plotly keep the size they were drawn at on screen (they measure it themselves, later than the
 * print layout), so a wide one would be cut at the page edge and a narrow one would use part of the page.
 * Each chart is redrawn at the width that, at print.css's zoom, is the page's whole width (plotly draws
 * synchronously, before the browser lays the page out); its box is pinned to that width, so plotly does not
 * redraw it again at the paper's width while printing. The map is cropped around the country instead, so
 * the country keeps its size. PAGE_CONTENT_MM must match the A4 width minus the @page margins of print.css,
 * MAP_MM the width of its .map-wrap, CHART_ZOOM its zoom of .dash-graph. The charts' elements are found
 * through assets/dash-internals.js (Dash and plotly do not hand them out).
 */
window.dashboard = Object.assign({}, window.dashboard, {
  print: {
    PAGE_CONTENT_MM: 186,
    MAP_MM: 116,
    CHART_ZOOM: 0.85,
    saved: [],
    charts: [],

    // Set an inline style, remembering the value it replaces for restore().
    set: function (el, property, value) {
      this.saved.push([el, property, el.style.getPropertyValue(property)]);
      el.style.setProperty(property, value);
    },

    // Millimetres in CSS pixels.
    px: function (mm) {
      var probe = document.createElement("div");
      probe.style.cssText = "position:absolute;visibility:hidden;width:" + mm + "mm";
      document.body.appendChild(probe);
      var width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    },

    // Redraw a chart at `width` CSS pixels (null: back to its box's width).
    drawChart: function (el, width) {
      var plot = window.dashboard.dashInternals.plotOf(el);
      if (!plot || !window.Plotly || !plot.layout) return;
      window.Plotly.relayout(plot, {width: width});
    },

    // The map keeps the size it was drawn at (Leaflet would re-centre a resized map while printing), seen
    // through the map column: cropped around the country when wider, centred in it when narrower (a phone).
    fitMap: function (wrap, width) {
      var map = wrap.querySelector(".leaflet-container");
      if (!map) return;
      var drawn = map.getBoundingClientRect();
      var crop = (drawn.width - width) / 2;
      if (crop > 0) {
        // Around the drawn shapes (the country), which fitBounds need not have put in the middle of the map.
        var shapes = map.querySelector(".leaflet-overlay-pane svg > g");
        var box = shapes && shapes.getBoundingClientRect();
        var middle = box && box.width ? (box.left + box.right) / 2 - drawn.left : drawn.width / 2;
        crop = Math.min(Math.max(middle - width / 2, 0), drawn.width - width);
        var corner = map.querySelector(".leaflet-bottom.leaflet-right");  // the attribution stays in view
        if (corner) this.set(corner, "right", drawn.width - width - crop + "px");
      }
      this.set(wrap, "width", width + "px");
      this.set(wrap, "overflow", "hidden");
      this.set(map, "width", drawn.width + "px");
      this.set(map, "height", drawn.height + "px");
      this.set(map, "margin-left", -crop + "px");
    },

    prepare: function () {
      var self = this;
      // Charts below the screen are drawn when they scroll into view (assets/answers.js): all of them now.
      if (window.dashboard.answers) window.dashboard.answers.drawAll();
      var width = this.px(this.PAGE_CONTENT_MM);
      var mapWidth = this.px(this.MAP_MM);
      document.querySelectorAll(".map-wrap").forEach(function (wrap) { self.fitMap(wrap, mapWidth); });
      // Every chart drawn across the page: at print.css's zoom, the page's width.
      var chartWidth = Math.floor(width / this.CHART_ZOOM);
      window.dashboard.dashInternals.graphs().forEach(function (el) {
        self.set(el, "width", chartWidth + "px");
        self.drawChart(el, chartWidth);
        self.charts.push(el);
      });
      // The table alternatives, and the controls folded on a phone, are open on paper.
      document.querySelectorAll("details.table-alt:not([open]), details.controls-fold:not([open])").forEach(function (d) {
        d.dataset.printOpened = "1";
        d.open = true;
      });
    },

    restore: function () {
      var self = this;
      this.saved.reverse().forEach(function (s) { s[0].style.setProperty(s[1], s[2]); });
      this.saved = [];
      this.charts.forEach(function (el) { self.drawChart(el, null); });
      this.charts = [];
      document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
        d.open = false;
        delete d.dataset.printOpened;
      });
    },
  },
});

window.addEventListener("beforeprint", function () { window.dashboard.print.prepare(); });
window.addEventListener("afterprint", function () { window.dashboard.print.restore(); });
