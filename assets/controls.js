/* The selection controls in the browser.
 * - "All groups" and "only this group" set the group boxes (a clientside callback calls pickGroups).
 * - On a phone the controls fold into one sticky line; opened, the panel would cover most of the screen
 *   while the page scrolls under it. So it folds itself again after a choice made by touch or mouse (a
 *   year, a figure source, an operation, "only" or "all"), and when the reader scrolls the page outside
 *   it while it is stuck at the top. Ticking group boxes keeps it open (several may be ticked); choosing with the keyboard keeps it
 *   open too, so focus never falls into a hidden panel.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  controls: {
    phone: window.matchMedia("(max-width: 767.98px)"),
    pressed: null, // what the last pointer press (touch, mouse) hit; a key press forgets it
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
    // Whether a radio's change came from a press on it or on its label, not from the arrow keys.
    pressedOn: function (input) {
      var pressed = window.dashboard.controls.pressed;
      return Boolean(pressed) && (input.contains(pressed) || Array.prototype.some.call(input.labels || [], function (l) {
        return l.contains(pressed);
      }));
    },
  },
});

(function () {
  var controls = window.dashboard.controls;
  document.addEventListener(
    "pointerdown",
    function (event) {
      controls.pressed = event.target;
    },
    true
  );
  document.addEventListener(
    "keydown",
    function () {
      controls.pressed = null;
    },
    true
  );
  document.addEventListener("change", function (event) {
    var fold = controls.fold();
    if (fold && fold.contains(event.target) && event.target.type === "radio" && controls.pressedOn(event.target)) {
      controls.close();
    }
  });
  // A button's click from the keyboard has no pointer detail (event.detail is 0).
  document.addEventListener("click", function (event) {
    var fold = controls.fold();
    var button = event.target.closest && event.target.closest(".all-groups, .only");
    if (fold && button && fold.contains(button) && event.detail > 0) {
      controls.close();
    }
  });
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
