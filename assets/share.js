/* "Copy link": the page address, which holds the whole selection, to the clipboard.
 * navigator.clipboard exists only in secure contexts (https, localhost); on plain http the older
 * execCommand("copy") on a hidden text area still works in every browser we serve.
 */
window.dashboard = Object.assign({}, window.dashboard, {
  share: {
    fallbackCopy: function (text) {
      var area = document.createElement("textarea");
      var active = document.activeElement;
      area.value = text;
      area.setAttribute("readonly", "");
      area.setAttribute("aria-hidden", "true");
      area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      area.remove();
      if (active && active.focus) active.focus();  // the person stays on the button they pressed
      return ok;
    },

    // A promise of true when `text` is on the clipboard.
    copy: function (text) {
      var share = window.dashboard.share;
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(
          function () { return true; },
          function () { return share.fallbackCopy(text); }
        );
      }
      return Promise.resolve(share.fallbackCopy(text));
    },

    // Clientside callback: Output(status, "children"), Input(button, "n_clicks"), State(store, "data") where
    // the store holds {copied, failed} in the page language (dashboard.glossary.share_texts).
    copyLink: function (nClicks, texts) {
      if (!nClicks) return window.dash_clientside.no_update;
      var t = texts || {};
      return window.dashboard.share.copy(window.location.href).then(function (ok) {
        return ok ? t.copied : t.failed;
      });
    },
  },
});
