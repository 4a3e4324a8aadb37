/* Printing: just before the browser lays the page out on paper, fit the map, the charts and the grid to the
 * page width and open every table alternative (details.table-alt); put the screen back afterwards.
 * Leaflet, plotly and AG Grid keep the size they were drawn at on screen (they measure it themselves, later
 * than the print layout), so a wide one would be cut at the page edge. Charts and the grid are scaled down
 * whole with CSS zoom. The map is cropped around its centre instead, where fitBounds put the country, so the
 * country keeps its size. PAGE_CONTENT_MM must match the A4 width minus the @page margins of print.css.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  print: {
    PAGE_CONTENT_MM: 186,
    SCALE: ".dash-graph, .ag-root-wrapper",
    saved: [],

    // Set an inline style, remembering the value it replaces for restore().
    set: function (el, property, value) {
      this.saved.push([el, property, el.style.getPropertyValue(property)]);
      el.style.setProperty(property, value);
    },

    contentWidth: function () {
      var probe = document.createElement("div");
      probe.style.cssText = "position:absolute;visibility:hidden;width:" + this.PAGE_CONTENT_MM + "mm";
      document.body.appendChild(probe);
      var width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    },

    // A chart's drawing keeps its own width even when its box already follows the print layout.
    drawnWidth: function (el) {
      var svg = el.querySelector("svg.main-svg");
      return (svg || el).getBoundingClientRect().width;
    },

    fitMap: function (wrap, width) {
      var map = wrap.querySelector(".leaflet-container");
      var drawn = map ? map.getBoundingClientRect().width : 0;
      if (drawn <= width) return;
      var crop = (drawn - width) / 2;
      this.set(wrap, "width", width + "px");
      this.set(wrap, "overflow", "hidden");
      this.set(map, "width", drawn + "px");
      this.set(map, "margin-left", -crop + "px");
      var corner = map.querySelector(".leaflet-bottom.leaflet-right");  // the attribution stays in view
      if (corner) this.set(corner, "right", crop + "px");
    },

    prepare: function () {
      var self = this;
      var width = this.contentWidth();
      document.querySelectorAll(".map-wrap").forEach(function (wrap) { self.fitMap(wrap, width); });
      document.querySelectorAll(this.SCALE).forEach(function (el) {
        var drawn = self.drawnWidth(el);
        if (drawn > width) {
          self.set(el, "width", drawn + "px");
          self.set(el, "zoom", String(width / drawn));
        }
      });
      // The table alternatives, and the controls folded on a phone, are open on paper.
      document.querySelectorAll("details.table-alt:not([open]), details.controls-fold:not([open])").forEach(function (d) {
        d.dataset.printOpened = "1";
        d.open = true;
      });
    },

    restore: function () {
      this.saved.reverse().forEach(function (s) { s[0].style.setProperty(s[1], s[2]); });
      this.saved = [];
      document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
        d.open = false;
        delete d.dataset.printOpened;
      });
    },
  },
});

window.addEventListener("beforeprint", function () { window.dashboard.print.prepare(); });
window.addEventListener("afterprint", function () { window.dashboard.print.restore(); });
