/* The selection controls in the browser.
 * - "All groups" and "only this group" set the group boxes (a clientside callback calls pickGroups); each
 *   box is named by its group's name alone (nameBoxes), though its label also holds its "only" button.
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
    // A group's box is labelled by its name and its "only" button (both in its <label>): name the box by the
    // name alone (its span's id). Run when the options are drawn or redrawn (another language).
    nameBoxes: function (checklistId) {
      window.requestAnimationFrame(function () {
        var list = document.getElementById(checklistId);
        (list ? list.querySelectorAll("input") : []).forEach(function (box) {
          var name = box.labels && box.labels[0] && box.labels[0].querySelector("span[id]");
          if (name) {
            box.setAttribute("aria-labelledby", name.id);
          }
        });
      });
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
