/* Offline use, the page's side (the service worker is /sw.js, dashboard/sw.js).
 *
 * Registers the worker; once the page is idle asks it to save the files this page loaded and this page (every
 * year of the selection travels as answers: assets/answers.js); says, on a line that stays on screen, when
 * the figures shown are a saved copy, with the figures' date and when they were saved (the line
 * #offline-status, whose texts the server wrote in the page language); says so when a choice has no kept
 * answer offline (answers.js puts the controls back). Back online, the page reloads itself (at most once a
 * minute).
 */
window.dashboard = Object.assign({}, window.dashboard, {
  offline: {
    POLL_MS: 15000,
    PROBE_TIMEOUT_MS: 5000,
    RELOAD_GAP_MS: 60000,
    SAVE_DELAY_MS: 2000,

    start: function () {
      var config = window.dashboard.config();
      var status = config && document.getElementById(config.status);
      if (!status || !("serviceWorker" in navigator) || !window.isSecureContext) return;
      var self = this;
      this.config = config;
      this.status = status;
      this.lang = document.documentElement.lang === "fr" ? "fr" : "en";
      this.noticeId = config.notice;
      this.version = config.version;
      // The figures on screen date from this page's load, or from when the worker saved its copy.
      this.figuresAt = new Date().toISOString();
      navigator.serviceWorker.addEventListener("message", function (event) { self.heard(event.data || {}); });
      navigator.serviceWorker.register(config.worker, {scope: "/"});
      // Was this page a saved copy? The worker that served it says so.
      navigator.serviceWorker.ready.then(function () {
        if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({type: "hello"});
      });
      window.addEventListener("dashboard:unanswered", function () {
        self.goneOffline();
        self.say(self.status.dataset.unavailable);
      });
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
        if (message.savedAt) this.figuresAt = message.savedAt;
        this.goneOffline();
      } else if (message.type === "data-version" && message.version !== this.version) {
        // New data on the server: the page moves whole to it (one data version per page), after any choice
        // meeting it too, which moves the page to the choice's address.
        this.version = message.version;
        window.dashboard.answers.moveWhenSettled();
      }
    },

    goneOffline: function () {
      var status = this.status;
      var saved = window.dashboard.offlineText.savedLine(status.dataset.saved, this.lang, this.figuresAt);
      status.textContent = saved + " · " + status.dataset.figures;
      status.hidden = false;
      if (!this.timer) {
        var self = this;
        this.timer = window.setInterval(function () { self.probe(); }, this.POLL_MS);
      }
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
      fetch(this.config.health, {cache: "no-store", signal: controller.signal}).then(function (response) {
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
      if (this.timer && new URL(link.href).pathname.indexOf(this.config.downloads) === 0) {
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
      var origin = window.location.origin;
      // The files this page loaded, asked for once (the worker keeps them; later saves are the page alone).
      var resources = this.resourcesSent ? [] : performance.getEntriesByType("resource").map(function (e) { return e.name; }).filter(function (u) {
        var url = new URL(u);
        return url.origin === origin && /^\/(assets|_dash-component-suites)\//.test(url.pathname);
      });
      document.querySelectorAll('link[rel="apple-touch-icon"], link[rel="manifest"]').forEach(function (link) {
        resources.push(link.href);
      });
      this.lastSaved = page;
      this.resourcesSent = true;
      navigator.serviceWorker.ready.then(function (registration) {
        registration.active.postMessage({type: "save", page: page, resources: resources});
      });
    },
  },
});

window.dashboard.offline.start();
