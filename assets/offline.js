/* Offline use, the page's side (the service worker is /sw.js, dashboard/sw.js).
 *
 * Registers the worker; once the page is idle (and not under Save-Data) asks it to save the files this page
 * loaded, this page and every year of its selection; says when the figures shown are a saved copy (the line
 * #offline-status, whose texts the server wrote in the page language); follows the worker's word when a
 * choice cannot be answered: open the saved page of that choice, or say it is not available offline and put
 * the controls back to what the figures show. Back online, the page reloads itself (at most once a minute).
 */
window.dashboard = Object.assign({}, window.dashboard, {
  offline: {
    POLL_MS: 15000,
    PROBE_TIMEOUT_MS: 5000,
    RELOAD_GAP_MS: 60000,
    SAVE_DELAY_MS: 2000,

    start: function () {
      var status = document.getElementById("offline-status");
      if (!status || !("serviceWorker" in navigator) || !window.isSecureContext) return;
      var self = this;
      this.status = status;
      this.lang = document.documentElement.lang === "fr" ? "fr" : "en";
      this.noticeId = status.dataset.noticeId;
      var version = document.querySelector('meta[name="data-version"]');
      this.version = version ? version.content : "";
      // The figures on screen date from this page's load, or from when the worker saved its copy.
      this.figuresAt = status.dataset.savedAt || new Date().toISOString();
      // Every year's address, as the server wrote the first view's year links.
      this.years = [].map.call(document.querySelectorAll("#ssr-year a[href]"), function (a) {
        return new URL(a.href).searchParams.get("year");
      });
      navigator.serviceWorker.addEventListener("message", function (event) { self.heard(event.data || {}); });
      navigator.serviceWorker.register("/sw.js", {scope: "/"});
      if (status.dataset.savedAt) this.goneOffline();
      window.addEventListener("online", function () { self.probe(); });
      window.addEventListener("offline", function () { self.goneOffline(); });
      document.addEventListener("click", function (event) { self.clicked(event); }, true);
      document.addEventListener("change", function () { self.saveSoon(); });
      if (document.readyState === "complete") this.saveSoon();
      else window.addEventListener("load", function () { self.saveSoon(); });
    },

    heard: function (message) {
      if (message.type === "saved" && message.page === this.lastSaved) {
        document.documentElement.dataset.offlineSaved = String(message.count);
      } else if (message.type === "offline") {
        this.goneOffline();
      } else if (message.type === "unanswered") {
        this.goneOffline();
        if (message.address) {
          window.location.assign(message.address);
        } else {
          this.putBack(message.revert || []);
        }
      } else if (message.type === "data-version" && message.version !== this.version) {
        // The interactive page takes the new data whole with the answer that brought it, and says so (the
        // main callback's version check); only a page without Dash's renderer reloads.
        this.version = message.version;
        if (!document.getElementById(this.noticeId)) window.location.reload();
      }
    },

    goneOffline: function () {
      var status = this.status;
      status.textContent = window.dashboard.offlineText.savedLine(status.dataset.saved, this.lang, this.figuresAt);
      status.hidden = false;
      if (!this.timer) {
        var self = this;
        this.timer = window.setInterval(function () { self.probe(); }, this.POLL_MS);
      }
    },

    // The controls back to the selection the figures show, and why.
    putBack: function (revert) {
      var dc = window.dash_clientside;
      if (dc && dc.set_props && document.getElementById(this.noticeId)) {
        revert.forEach(function (item) { dc.set_props(item[0], {value: item[1]}); });
      }
      this.say(this.status.dataset.unavailable);
    },

    // A sentence where the page's notices go (the read-only page has none: then on the offline line).
    say: function (text) {
      var dc = window.dash_clientside;
      if (dc && dc.set_props && document.getElementById(this.noticeId)) {
        dc.set_props(this.noticeId, {children: text});
      } else {
        this.status.textContent += " " + text;
      }
    },

    // Is the server back? Then the page reloads for fresh figures (and the worker drops copies of old data).
    probe: function () {
      if (!this.timer) return;
      var self = this;
      var controller = new AbortController();
      var timeout = window.setTimeout(function () { controller.abort(); }, this.PROBE_TIMEOUT_MS);
      fetch("/healthz", {cache: "no-store", signal: controller.signal}).then(function (response) {
        return response.ok ? response.json() : {};
      }).then(function (health) {
        window.clearTimeout(timeout);
        var last = Number(window.sessionStorage.getItem("dashboard-offline-reload") || 0);
        if (health.status === "ok" && Date.now() - last > self.RELOAD_GAP_MS) {
          window.sessionStorage.setItem("dashboard-offline-reload", String(Date.now()));
          window.location.reload();
        }
      }, function () { window.clearTimeout(timeout); });
    },

    // Downloads are made by the server: offline, say so instead of a browser error.
    clicked: function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link) return;
      if (this.timer && new URL(link.href).pathname.indexOf("/download/") === 0) {
        event.preventDefault();
        this.say(this.status.dataset.download);
      }
      this.saveSoon();
    },

    saveSoon: function () {
      var self = this;
      window.clearTimeout(this.saveTimer);
      this.saveTimer = window.setTimeout(function () {
        var idle = window.requestIdleCallback || function (f) { return window.setTimeout(f, 0); };
        idle(function () { self.save(); }, {timeout: 10000});
      }, this.SAVE_DELAY_MS);
    },

    save: function () {
      var page = window.location.href.split("#")[0];
      if (this.timer || this.lastSaved === page) return;
      var connection = navigator.connection || {};
      var years = connection.saveData ? [] : this.years.map(function (year) {
        var url = new URL(page);
        url.searchParams.set("year", year);
        return url.href;
      });
      var origin = window.location.origin;
      var resources = performance.getEntriesByType("resource").map(function (e) { return e.name; }).filter(function (u) {
        var url = new URL(u);
        return url.origin === origin && /^\/(assets|_dash-component-suites)\//.test(url.pathname);
      });
      document.querySelectorAll('link[rel="apple-touch-icon"], link[rel="manifest"]').forEach(function (link) {
        resources.push(link.href);
      });
      this.lastSaved = page;
      navigator.serviceWorker.ready.then(function (registration) {
        registration.active.postMessage({type: "save", page: page, years: years, resources: resources});
      });
    },
  },
});

window.dashboard.offline.start();
