/* The selection controls in the browser.
 * - "All groups" and "only this group" set the group boxes (a clientside callback calls pickGroups).
 * - On a phone the controls fold into one sticky line; opened, the panel would cover most of the screen
 *   while the page scrolls under it. So it folds itself again after a choice made by touch or mouse (a
 *   year, a figure source, an operation, "only" or "all"), and when the page scrolls while it is stuck at
 *   the top. Ticking group boxes keeps it open (several may be ticked); choosing with the keyboard keeps it
 *   open too, so focus never falls into a hidden panel.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  controls: {
    phone: window.matchMedia("(max-width: 767.98px)"),
    lastPointer: 0,
    openedAt: 0,
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
    byPointer: function () {
      return Date.now() - window.dashboard.controls.lastPointer < 1500;
    },
  },
});

(function () {
  var controls = window.dashboard.controls;
  document.addEventListener(
    "pointerdown",
    function () {
      controls.lastPointer = Date.now();
    },
    true
  );
  document.addEventListener("change", function (event) {
    var fold = controls.fold();
    if (fold && fold.contains(event.target) && event.target.type === "radio" && controls.byPointer()) {
      controls.close();
    }
  });
  document.addEventListener("click", function (event) {
    var fold = controls.fold();
    var button = event.target.closest && event.target.closest(".all-groups, .only");
    if (fold && button && fold.contains(button) && controls.byPointer()) {
      controls.close();
    }
  });
  // Opening the panel while it is stuck grows the page above the reader, and the browser scrolls to keep
  // their place: that scroll is not the reader's, so scrolls just after opening are let through.
  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target === controls.fold() && event.target.open) {
        controls.openedAt = Date.now();
      }
    },
    true
  );
  window.addEventListener(
    "scroll",
    function () {
      var fold = controls.fold();
      if (!fold || !fold.open || Date.now() - controls.openedAt < 400) {
        return;
      }
      if (fold.getBoundingClientRect().top <= 0.5 && window.scrollY > 0) {
        controls.close();
      }
    },
    {passive: true}
  );
})();
