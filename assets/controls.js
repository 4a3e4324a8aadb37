/* The selection controls in the browser.
 * - "All groups" and "only this group" set the group boxes (a clientside callback calls pickGroups).
 * - On a phone the controls fold into one sticky line; opened, the panel stays open for the next choice
 *   (two choices cost two taps) and folds when the reader scrolls the page outside it, to the figures,
 *   while it is stuck at the top: then nothing of the figures is hidden for reading.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  controls: {
    phone: window.matchMedia("(max-width: 767.98px)"),
    pickGroups: function (options) {
      var context = window.dash_clientside.callback_context;
      var id = context.triggered_id;
      var clicked = context.triggered.some(function (t) {
        return Boolean(t.value);
      });
      if (!id || !clicked) {
        return window.dash_clientside.no_update;
      }
      if (id === "groups-all") {
        return (options || []).map(function (o) {
          return o.value;
        });
      }
      return [id.group];
    },
    fold: function () {
      return document.querySelector("details.controls-fold");
    },
    // Fold the open panel on a phone, leaving focus on its one-line summary.
    close: function () {
      var fold = window.dashboard.controls.fold();
      if (!fold || !fold.open || !window.dashboard.controls.phone.matches) {
        return;
      }
      fold.open = false;
      var summary = fold.querySelector("summary");
      if (summary) {
        summary.focus({preventScroll: true});
      }
    },
  },
});

(function () {
  var controls = window.dashboard.controls;
  // The reader scrolls the page (not the panel) while the open panel is stuck at the top. Wheel and touch
  // are the reader's own: the browser's scroll anchoring, as the panel opens above them, is not.
  function scrolled(event) {
    var fold = controls.fold();
    var panel = fold && fold.querySelector(".controls");
    if (!fold || !fold.open || (panel && panel.contains(event.target))) {
      return;
    }
    if (fold.getBoundingClientRect().top <= 0.5 && window.scrollY > 0) {
      controls.close();
    }
  }
  document.addEventListener("wheel", scrolled, {passive: true});
  document.addEventListener("touchmove", scrolled, {passive: true});
})();
