/* Offline use, the page's side (the service worker is /sw.js, dashboard/sw.js).
 *
 * Registers the worker; once the page is idle asks it to save the files this page loaded and this page (every
 * year of the selection travels as answers: assets/answers.js); says, on a line that stays on screen, when
 * the figures shown are a saved copy, with the figures' date and when they were saved (the line
 * #offline-status, whose texts the server wrote in the page language); says so when a choice has no kept
 * answer offline (answers.js puts the controls back). Back online, the page reloads itself (at most once a
 * minute).
 *
 * The stand-in page (CONFIG.standIn: what the worker serves offline at an address whose page was never saved
 * but whose answer is kept) shows nothing until it is filled: the worker names the kept answer of the address,
 * the page checks that the answer is this address's (its data version, operation and language, and the
 * address it shows), sets every view, control and output from it once Dash has drawn, waits until the charts
 * and boxes show it, and only then shows the page. Without such an answer it says the page was not saved.
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
      this.standIn = !!(config && config.standIn);
      if (!status || !("serviceWorker" in navigator) || !window.isSecureContext) {
        if (this.standIn) this.show(config); // no worker made this page stand in: it shows its own selection
        return;
      }
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
        var controller = navigator.serviceWorker.controller;
        if (controller) controller.postMessage({type: "hello", standIn: self.standIn});
        else if (self.standIn) self.show(config);
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
      } else if (message.type === "served") {
        if (message.savedAt) {
          this.figuresAt = message.savedAt;
          this.goneOffline();
        }
        if (this.standIn) this.standFor(message.answer);
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

    // --- the stand-in page ---------------------------------------------------------------------------------

    show: function (config) {
      document.documentElement.setAttribute(config.standInShown, "");
    },

    // Fill the stand-in page from the kept answer at `address` (the worker's word), or say it was not saved.
    standFor: function (address) {
      if (this.standing) return;
      this.standing = true;
      var self = this;
      if (!address) {
        // Opened at its own address (not standing in for another): its own selection is what it shows.
        if (window.location.pathname === new URL(this.config.standInPage, window.location.href).pathname) {
          this.show(this.config);
        } else {
          this.notSaved();
        }
        return;
      }
      fetch(address).then(function (response) {
        return response.ok && response.status !== 204 ? response.json() : null;
      }).then(function (answer) {
        if (!self.isOwnAnswer(answer, address)) return self.notSaved();
        self.whenDrawn(function () { self.fill(answer); });
      }, function () { self.notSaved(); });
    },

    // The answer of this very address, on this page's data version, operation and language: never another's.
    isOwnAnswer: function (answer, address) {
      var rules = window.dashboard.answers.rules;
      var config = this.config;
      var sorted = function (query) {
        var params = new URLSearchParams(query);
        params.sort();
        return params.toString();
      };
      if (!answer || typeof answer.key !== "string" || typeof answer.url !== "string") return false;
      return rules.answers(answer, answer.key, config.version) &&
        sorted(answer.key) === sorted(new URL(address, window.location.href).search) &&
        sorted(answer.url) === sorted(window.location.search) &&
        answer.selection.op === config.selection.op && answer.selection.lang === config.selection.lang;
    },

    // Dash has drawn the page (its boxes, and its charts unless drawn when scrolled to): then it can be filled.
    // However long Dash takes to start on a slow phone (the offline line shows meanwhile).
    whenDrawn: function (then) {
      var check = function () {
        if (document.documentElement.hasAttribute("data-drawn") && window.dash_clientside && window.dash_clientside.set_props) {
          then();
        } else {
          window.setTimeout(check, 100);
        }
      };
      check();
    },

    // Every view, control and output from the answer (what the choice callback sets for a choice), then the
    // page shows once its charts and boxes show the answer.
    fill: function (answer) {
      var config = this.config;
      var answers = window.dashboard.answers;
      var internals = window.dashboard.dashInternals;
      var setProps = window.dash_clientside.set_props;
      answers.drawAll();
      // Every chart is to show the answer's figure (the very object set) before the page shows.
      var charts = Object.keys(answer.views).filter(function (id) { return "figure" in answer.views[id]; });
      // What the choice callback compares a choice with: this answer is on screen.
      var state = answers.state;
      state.shownQuery = answers.rules.choiceQuery(answer.controls, false, config);
      state.search = window.location.search;
      state.applied = answers.rules.texts(answer.views);
      Object.keys(answer.views).forEach(function (id) { setProps(id, answer.views[id]); });
      Object.keys(config.controls).forEach(function (field) {
        // The operation and language are the page's already (a control set to its own value still counts
        // as a choice of it, and the operation's has its own rule).
        if (field !== "op" && field !== "lang") setProps(config.controls[field], {value: answer.controls[field]});
      });
      Object.keys(config.standInOutputs).forEach(function (name) {
        var target = config.standInOutputs[name];
        var props = {};
        props[target[1]] = answer[name];
        setProps(target[0], props);
      });
      var boxes = Object.keys(answer.views).filter(function (id) {
        return window.dashboard.drawnContent && id in window.dashboard.drawnContent;
      });
      var self = this;
      var waited = 0;
      var ready = function () {
        var drawnContent = window.dashboard.drawnContent;
        var boxesShown = boxes.every(function (id) {
          // The very content set, as Dash hands it on; else the same content.
          var content = answer.views[id].data;
          return drawnContent[id] === content || JSON.stringify(drawnContent[id]) === JSON.stringify(content);
        });
        var chartsShown = charts.every(function (id) {
          return internals.showsFigure(document.getElementById(id), answer.views[id].figure);
        });
        if ((boxesShown && chartsShown) || (waited += 50) > config.timeoutMs) {
          // One frame more: what was drawn is laid out before the page shows.
          window.requestAnimationFrame(function () { self.show(config); });
        } else {
          window.setTimeout(ready, 50);
        }
      };
      ready();
    },

    notSaved: function () {
      this.status.textContent = this.status.dataset.notsaved;
      this.status.hidden = false;
    },

    save: function () {
      var page = window.location.href.split("#")[0];
      if (this.timer || this.lastSaved === page || this.standIn) return;
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
      // The stand-in page serves the answers kept ahead: under Save-Data none are, and only the page is saved.
      var standIn = (navigator.connection || {}).saveData ? null : new URL(this.config.standInPage, window.location.href).href;
      navigator.serviceWorker.ready.then(function (registration) {
        registration.active.postMessage({type: "save", page: page, resources: resources, standIn: standIn});
      });
    },
  },
});

window.dashboard.offline.start();
