/* The offline line's words: "Hors ligne — chiffres enregistrés le 2 déc. 2026 à 14 h 05" (assets/offline.js):
 * the day, the short month and the year through Intl in the page language, the time as French typography
 * writes it (14 h 05, no-break spaces) or as British English does (14:05), in the device's time zone.
 */
(function (root) {
  var offlineText = {
    savedLine: function (template, lang, when) {
      var date = new Date(when);
      var day = new Intl.DateTimeFormat(lang === "fr" ? "fr" : "en-GB", {
        day: "numeric",
        month: "short",
        year: "numeric",
      }).format(date);
      var minutes = String(date.getMinutes()).padStart(2, "0");
      var time = lang === "fr"
        ? date.getHours() + "\u00a0h\u00a0" + minutes
        : String(date.getHours()).padStart(2, "0") + ":" + minutes;
      return template.replace("{date}", day).replace("{time}", time);
    },
  };
  // Node's tests load this classic script as a module.
  if (typeof module === "object" && module.exports) module.exports = offlineText;
  else root.dashboard = Object.assign({}, root.dashboard, {offlineText: offlineText});
})(typeof self !== "undefined" ? self : globalThis);
