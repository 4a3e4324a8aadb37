/* Map styling and labels for the dashboard: one namespace, window.dashboard.
 * dash-leaflet calls these with the component's props (context) last; context.hideout holds the
 * selection-dependent values that Python computes, so the geometry is sent once.
 * Every text from data reaches a Leaflet tooltip or popup as a text node (Leaflet renders a string as HTML).
 */
window.dashboard = Object.assign({}, window.dashboard, {
  // The page language for screen readers, and Leaflet's zoom button titles (Leaflet sets them in English).
  setLanguage: function (frame, leafletTexts) {
    var lang = frame && frame.lang === "fr" ? "fr" : "en";
    document.documentElement.lang = lang;
    var texts = leafletTexts[lang];
    document.querySelectorAll(".leaflet-control-zoom-in").forEach(function (a) {
      a.title = texts["in"];
      a.setAttribute("aria-label", texts["in"]);
    });
    document.querySelectorAll(".leaflet-control-zoom-out").forEach(function (a) {
      a.title = texts["out"];
      a.setAttribute("aria-label", texts["out"]);
    });
    window.dashboard.closeLabel = texts["close"];
    window.dashboard.watchPopups();
    return lang;
  },
  // Leaflet labels each popup's close button "Close popup" as it opens it: relabel it in the page language.
  watchPopups: function () {
    if (window.dashboard.popupObserver) {
      return;
    }
    window.dashboard.popupObserver = new MutationObserver(function () {
      document.querySelectorAll(".leaflet-popup-close-button").forEach(function (a) {
        if (a.getAttribute("aria-label") !== window.dashboard.closeLabel) {
          a.setAttribute("aria-label", window.dashboard.closeLabel);
          a.title = window.dashboard.closeLabel;
        }
      });
    });
    window.dashboard.popupObserver.observe(document.body, {childList: true, subtree: true});
  },
  // The data version the page shows (its store), for reloadIfStale.
  noteVersion: function (version) {
    this.shownVersion = version;
    return window.dash_clientside.no_update;
  },
  // A map callback found the server on other data: the page moves whole to it (one data version per page),
  // after any choice meeting the new data at the same moment (assets/answers.js), whose move stands.
  reloadIfStale: function (version) {
    if (version && this.shownVersion !== version) window.dashboard.answers.moveWhenSettled();
    return window.dash_clientside.no_update;
  },
  // Drawn boxes (views.common.drawn, ids.DRAWN): a box's content store holds its HTML, written in Python by the
  // renderer that writes the first view (dashboard/markup.py), every text from data escaped there once; it is
  // put in place here whole. A choice then changes one store's data, where Dash's renderer would remount a
  // component per cell. `boxes` maps each content store to its box; an answer replaces the data of the stores it
  // changes and leaves the others' as they were, so only a box whose content is not the one drawn is drawn again.
  drawChanged: function (boxes) {
    var inputs = window.dash_clientside.callback_context.inputs;
    var shown = (window.dashboard.drawnContent = window.dashboard.drawnContent || {});
    Object.keys(boxes).forEach(function (store) {
      var content = inputs[store + ".data"];
      if (shown[store] !== content && window.dashboard.draw(content, boxes[store])) {
        shown[store] = content;
      }
    });
    // Every box drawn: the interactive page is whole, and the server-rendered first view gives way to it
    // (assets/ssr.css) and leaves the document.
    if (!document.documentElement.hasAttribute("data-drawn") && Object.keys(boxes).every(function (s) { return s in shown; })) {
      document.documentElement.setAttribute("data-drawn", "");
      var first = document.getElementById(window.dashboard.config().firstView);
      if (first) {
        first.remove();
      }
    }
  },
  draw: function (content, box) {
    var element = document.getElementById(box);
    if (!element) {
      return false;
    }
    // A template's content is inert (no image loads, no script runs) until it is placed.
    var template = document.createElement("template");
    template.innerHTML = content || "";
    window.dashboard.dashInternals.fillBox(element, template.content);
    return true;
  },
  map: {
    // A popup's or tooltip's content as elements, its texts from data as text nodes (Leaflet would parse a
    // string as HTML): `strong` in bold, each of `lines` below it (a missing one empty).
    label: function (className, strong, lines) {
      var box = document.createElement("div");
      if (className) box.className = className;
      var bold = document.createElement("strong");
      bold.textContent = strong === undefined || strong === null ? "" : String(strong);
      box.appendChild(bold);
      lines.forEach(function (line) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line === undefined || line === null ? "" : String(line)));
      });
      return box;
    },
    regionStyle: function (feature, context) {
      var h = context.hideout || {};
      var v = (h.values || {})[feature.id];
      return {
        className: "map-region",
        fillColor: v ? h.colours[v.cls] : h.noData,
        fillOpacity: 0.85,
        color: "#4d4d4d",
        weight: 1,
      };
    },
    // The label's words come from the server (mapview.region_label), the same as the details panel's.
    regionLabel: function (h, key, fallbackName) {
      var label = (h.labels || {})[key];
      var m = window.dashboard.map;
      return label ? m.label("", label.name, [label.line]) : m.label("", fallbackName || key, []);
    },
    // A tap opens one popup, kept whole inside the map by moving the popup, never the map: Leaflet's own
    // auto-pan moved the country out of the frame on a phone. A pointer that can hover also gets a tooltip,
    // closed while the popup is open (on a phone a tap used to open both, the tooltip cut at the edge).
    popupOptions: {autoPan: false, maxWidth: 240},
    // Shift an open popup (its box and tip) by what it overflows the map's frame, from where Leaflet put it.
    keepInFrame: function (popup) {
      var element = popup.getElement();
      var frame = element && element.closest(".leaflet-container");
      if (!frame) return;
      if (!popup.options.placedOffset) popup.options.placedOffset = L.point(popup.options.offset);
      popup.options.offset = popup.options.placedOffset;
      popup.update();
      var box = element.getBoundingClientRect();
      var room = frame.getBoundingClientRect();
      var margin = 4;
      var dx = Math.max(0, room.left + margin - box.left) - Math.max(0, box.right - (room.right - margin));
      var dy = Math.max(0, room.top + margin - box.top);
      if (dx || dy) {
        popup.options.offset = popup.options.placedOffset.add([dx, dy]);
        popup.update();
      }
    },
    bindPopup: function (layer, content) {
      var m = window.dashboard.map;
      layer.bindPopup(content, m.popupOptions);
      layer.on("popupopen", function (e) { m.keepInFrame(e.popup); });
    },
    // `make` makes the content: the popup and the tooltip each get their own elements.
    bindLabel: function (layer, make, tooltip) {
      var m = window.dashboard.map;
      m.bindPopup(layer, make);
      if (window.matchMedia && window.matchMedia("(hover: hover)").matches) {
        layer.bindTooltip(make, tooltip);
      }
      layer.on("popupopen", function () { layer.closeTooltip(); });
    },
    regionEach: function (feature, layer, context) {
      var m = window.dashboard.map;
      m.bindLabel(layer, function () {
        return m.regionLabel(context.hideout || {}, feature.id, feature.properties.name);
      }, {sticky: true});
    },
    pointToLayer: function (feature, latlng, context) {
      var h = context.hideout || {};
      var v = (h.values || {})[feature.properties.key];
      return L.circleMarker(latlng, {
        className: "map-point",
        radius: feature.properties.radius || 12, // by its figure (mapview.point_radius)
        fillColor: v ? h.colours[v.cls] : h.noData,
        fillOpacity: 0.95,
        color: "#1f1f1f",
        weight: 2,
        dashArray: "3 2",
      });
    },
    pointEach: function (feature, layer, context) {
      var m = window.dashboard.map;
      m.bindLabel(layer, function () {
        return m.regionLabel(context.hideout || {}, feature.properties.key, feature.properties.key);
      }, {});
    },
    officeToLayer: function (feature, latlng, context) {
      var h = context.hideout || {};
      var o = (h.offices || {})[feature.properties.key] || {};
      var type = feature.properties.office_type;
      var title = (o.name || feature.properties.key) + " — " + (o.type || type);
      // Beside a figure point at the same place, the icon stands just above it (mapview._office_shift).
      var shift = feature.properties.shift || [0, 0];
      var marker = L.marker(latlng, {
        keyboard: true,
        title: title,
        alt: title,
        riseOnHover: true,
        icon: L.divIcon({
          className: "office-icon office-" + type,
          html: '<span aria-hidden="true"></span>',
          iconSize: [24, 24], // WCAG 2.2 target size
          iconAnchor: [12 - shift[0], 12 - shift[1]],
          popupAnchor: [shift[0], shift[1] - 12],
        }),
      });
      // Leaflet closes popups on Escape only while the map itself has focus; a focused marker needs this.
      marker.on("add", function () {
        L.DomEvent.on(marker.getElement(), "keydown", function (e) {
          if (e.key === "Escape" && marker.isPopupOpen()) {
            marker.closePopup();
            marker.getElement().focus();
          }
        });
      });
      return marker;
    },
    officeEach: function (feature, layer, context) {
      var m = window.dashboard.map;
      var h = context.hideout || {};
      var o = (h.offices || {})[feature.properties.key] || {};
      m.bindPopup(layer, m.label("office-popup", o.name || feature.properties.key, [o.typeLine, o.asOf]));
    },
  },
});
