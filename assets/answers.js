/* Every choice answered in the browser from kept answers (dashboard/answers.py serves them).
 *
 * A choice (year, groups, source, language, operation, donor filters, sort, a budget bar's click, the address)
 * becomes one address, /answers/<code version>/<data version>?<selection>, whose answer holds every figure the page shows for
 * it. Answers are kept in memory (at most CONFIG.kept), by the browser's cache and by the service worker, so a
 * choice already answered costs no request; once the page is idle (and not under Save-Data) the answers of
 * every year of the selection on screen are fetched, so a year change costs none. An answer is applied only
 * to the choice it was asked for (its address, data version, language, operation and source); a server on
 * another data version says so (a redirect to its own) and the page moves whole to it.
 *
 * The rules (`rules`) are pure and tested with `node --test` (tests/js/); the rest talks to Dash through its
 * public API only: a clientside callback (dash_clientside.dashboard.choose) whose outputs are what a choice of
 * figures changes, a second one on the frame store (frameTexts) for what follows the language and operation,
 * so a choice is one update of Dash's store (two for another language), and dash_clientside.set_props for
 * what changes seldom and for a chart drawn as it scrolls into view.
 * CONFIG comes from Python in the page (the JSON block #dashboard-config, dashboard/answers.py).
 */
(function (root) {
  "use strict";

  var FIELDS = ["op", "year", "lang", "groups", "source", "donor_type", "donor", "sort"];

  var rules = {
    /* The address of a choice, from the controls' values by field: every field, always in the same order,
     * groups sorted (none ticked is "none"), so one choice has one address whatever the order of the clicks. */
    choiceQuery: function (controls, operationRule, config) {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        var value = controls[name];
        if (name === "groups") {
          var groups = Array.isArray(value) ? value.map(String).filter(function (g) { return g !== "none"; }) : [];
          value = groups.length ? groups.sort().join(",") : "none";
        }
        params.set(name, value === null || value === undefined ? "" : String(value));
      });
      if (operationRule) params.set(config.rule, config.operationRule);
      return params.toString();
    },

    /* The address of a page address's search part (Back, Forward, a link): its fields sorted, the page's
     * language when it names none (the server would otherwise take the browser's). */
    addressQuery: function (search, lang) {
      var given = new URLSearchParams(search || "");
      var names = [];
      given.forEach(function (value, name) {
        if (FIELDS.indexOf(name) >= 0 && names.indexOf(name) < 0) names.push(name);
      });
      var params = new URLSearchParams();
      names.sort().forEach(function (name) { params.set(name, given.get(name)); });
      if (!params.has("lang")) params.set("lang", lang);
      return params.toString();
    },

    /* The same choice in another year. */
    withYear: function (query, year) {
      var params = new URLSearchParams(query);
      params.set("year", String(year));
      return params.toString();
    },

    /* Every year, the nearest to the one on screen first (the likeliest next choices). */
    yearsAround: function (years, year) {
      var at = Number(year);
      return years.slice().sort(function (a, b) { return Math.abs(Number(a) - at) - Math.abs(Number(b) - at) || a - b; });
    },

    answerAddress: function (config, version, query) {
      return config.answers + encodeURIComponent(version) + "?" + query;
    },

    /* The page address for a choice (when the page moves whole to another data version). */
    pageAddress: function (config, query) {
      var params = new URLSearchParams(query);
      params.delete(config.rule);
      return "?" + params.toString();
    },

    /* The version rule (answers.version_matches): figures of one version only, the page's. */
    sameVersion: function (pageVersion, version) {
      return typeof version === "string" && version === pageVersion;
    },

    /* Whether `answer` answers `query` on the page's data version: never apply another's figures. */
    answers: function (answer, query, version) {
      if (!answer || answer.key !== query || !rules.sameVersion(version, answer.version)) return false;
      var asked = new URLSearchParams(query);
      var sel = answer.selection || {};
      return ["lang", "op", "source"].every(function (name) {
        return !asked.has(name) || asked.get(name) === sel[name];
      });
    },

    /* The properties whose value differs from what is on screen, by component: {id: {prop: value}}. */
    changes: function (views, texts, applied) {
      var out = {};
      Object.keys(views).forEach(function (id) {
        Object.keys(views[id]).forEach(function (prop) {
          var key = id + "." + prop;
          if (applied[key] !== texts[key]) {
            out[id] = out[id] || {};
            out[id][prop] = views[id][prop];
          }
        });
      });
      return out;
    },

    texts: function (views) {
      var out = {};
      Object.keys(views).forEach(function (id) {
        Object.keys(views[id]).forEach(function (prop) { out[id + "." + prop] = JSON.stringify(views[id][prop]); });
      });
      return out;
    },

    /* The arguments of the clientside callback by name (CONFIG.arguments, from callbacks.CHOICE_ARGUMENTS). */
    named: function (names, values) {
      var out = {controls: {}};
      names.forEach(function (name, i) {
        if (name.indexOf("controls.") === 0) out.controls[name.slice(9)] = values[i];
        else out[name] = values[i];
      });
      return out;
    },

    /* The views' part of the callback's outputs (CONFIG.views: [component id, property], from
     * callbacks.choice_views), from `changed` ({id: {prop: value}}): each property set, or `no` where it did not
     * change. What `changed` holds beyond them is `rest` (set apart, so nothing is lost if the lists part). */
    viewOutputs: function (views, changed, no) {
      var rest = {};
      Object.keys(changed).forEach(function (id) { rest[id] = Object.assign({}, changed[id]); });
      var values = views.map(function (output) {
        var id = output[0], prop = output[1];
        if (!rest[id] || !(prop in rest[id])) return no;
        var value = rest[id][prop];
        delete rest[id][prop];
        if (!Object.keys(rest[id]).length) delete rest[id];
        return value;
      });
      return {values: values, rest: rest};
    },

    /* Whether a control shows `value` (a list of groups in any order). */
    sameControl: function (value, shown) {
      var norm = function (v) { return Array.isArray(v) ? v.map(String).sort() : v; };
      return JSON.stringify(norm(value)) === JSON.stringify(norm(shown));
    },

    /* Which choice the callback answers: the query, or null when there is nothing to ask (a click off a bar). */
    requested: function (config, args, triggered) {
      var prop = (triggered && triggered[0]) || "";
      var lang = (args.shown && args.shown.lang) || "en";
      if (prop === config.url + ".search") return rules.addressQuery(args.search, lang);
      var controls = Object.assign({}, args.controls);
      if (prop.indexOf(config.barClick + ".") === 0) {
        var point = args.click && args.click.points && args.click.points[0];
        if (!point || point.x === undefined || point.x === null) return null;
        controls.year = String(point.x);
      }
      return rules.choiceQuery(controls, prop === config.controls.op + ".value", config);
    },
  };

  if (typeof module === "object" && module.exports) {
    module.exports = rules;
    return;
  }

  var MOVED = "dashboard-moved";
  // The page's config (dashboard/answers.py, CONFIG_ID): the one value the scripts cannot be handed.
  var CONFIG_ID = "dashboard-config";
  var state = {
    config: null,
    kept: new Map(), // query -> {answer, texts (once applied)}, the most recent last
    applied: {}, // "id.prop" -> the JSON text on screen, once known
    shownQuery: null,
    frameTexts: null, // the frame callback's outputs, once a choice has changed the language or operation
    pending: new Map(), // query -> the promise of its entry
    lastCheck: 0,
  };

  function config() {
    if (!state.config) {
      var block = document.getElementById(CONFIG_ID);
      state.config = block ? JSON.parse(block.textContent) : null;
    }
    return state.config;
  }

  /* An answer's views as JSON texts by "id.prop": what `rules.changes` compares. */
  function textsOf(entry) {
    if (!entry.texts) entry.texts = rules.texts(entry.answer.views);
    return entry.texts;
  }

  function keep(query, entry) {
    state.kept.delete(query);
    state.kept.set(query, entry);
    while (state.kept.size > config().kept) state.kept.delete(state.kept.keys().next().value);
  }

  /* The entry for a query: held, or fetched once (a fetch under way is shared). Resolves to
   * {answer, texts}, {moved: version} when the server is on other data, or null when there is no answer. */
  function obtain(query, version) {
    var cfg = config();
    if (state.kept.has(query)) return Promise.resolve(state.kept.get(query));
    if (state.pending.has(query)) return state.pending.get(query);
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, cfg.timeoutMs);
    var promise = fetch(rules.answerAddress(cfg, version, query), {signal: controller.signal})
      .then(function (response) {
        // No content: the worker has no kept answer and no server (offline).
        if (!response.ok || response.status === 204) return null;
        return response.json().then(function (answer) {
          // Redirected to the server's version: the page moves whole to it.
          if (answer && typeof answer.version === "string" && !rules.sameVersion(version, answer.version)) {
            return {moved: answer.version};
          }
          // Another choice's answer (a broken cache or proxy): never shown, and never kept.
          if (!rules.answers(answer, query, version)) return {refused: true};
          // Its texts are made when it is first applied: most answers fetched ahead never are.
          var entry = {answer: answer, texts: null};
          keep(query, entry);
          return entry;
        });
      })
      .catch(function () { return null; })
      .then(function (entry) {
        window.clearTimeout(timer);
        state.pending.delete(query);
        return entry;
      });
    state.pending.set(query, promise);
    return promise;
  }

  /* Nothing to set: no update of Dash's store at all (no_update outputs would still update it once for each). */
  function nothing() {
    throw window.dash_clientside.PreventUpdate;
  }

  /* What a choice seldom changes, set on its own when it does (CONFIG.apart, the controls, and the views'
   * properties the callback does not name): each `set_props` is an update of Dash's store. */
  function setApart(cfg, answer, args, rest) {
    var dc = window.dash_clientside;
    var shown = {notice: args.notice || "", frame: args.frame, operation_shown: args.operation_shown};
    var changes = {};
    Object.keys(cfg.apart).forEach(function (name) {
      var value = name === "notice" ? answer.notice || "" : answer[name];
      if (JSON.stringify(value) !== JSON.stringify(shown[name])) changes[name] = value;
    });
    // Another language or operation: the frame's callback (`frameTexts`) sets what follows it, in one update.
    if ("frame" in changes) {
      var frame = rules.viewOutputs(cfg.frameViews, rest, dc.no_update);
      state.frameTexts = frame.values;
      rest = frame.rest;
    }
    Object.keys(changes).forEach(function (name) {
      var props = {};
      props[cfg.apart[name][1]] = changes[name];
      dc.set_props(cfg.apart[name][0], props);
    });
    putControls(cfg, answer.controls, args.controls);
    Object.keys(rest).forEach(function (id) { dc.set_props(id, rest[id]); });
  }

  /* The frame's callback (its outputs are CONFIG.frameViews): what follows the language and operation, once
   * the choice that changed them is applied. */
  function frameTexts() {
    var values = state.frameTexts;
    state.frameTexts = null;
    return values || nothing();
  }

  /* The controls that do not show `values` (the address's choice, a choice the server adjusted) are set to them. */
  function putControls(cfg, values, shown) {
    Object.keys(cfg.controls).forEach(function (field) {
      if (!(field in values) || rules.sameControl(values[field], shown[field])) return;
      window.dash_clientside.set_props(cfg.controls[field], {value: values[field]});
    });
  }

  /* The outputs of the callback, CONFIG.outputs' then CONFIG.views', from an answer and the views' properties
   * to set now (`apply`): one update of Dash's store for what every choice changes. */
  function outputs(cfg, answer, args, changed) {
    var no = window.dash_clientside.no_update;
    var values = {
      selection: answer.selection,
      url: answer.url !== window.location.search ? answer.url : no,
      workbook: answer.workbook,
      summary: answer.summary,
    };
    var views = rules.viewOutputs(cfg.views, changed, no);
    setApart(cfg, answer, args, views.rest);
    return cfg.outputs.map(function (name) { return values[name]; }).concat(views.values);
  }

  /* No answer (offline and nothing kept for this choice, or an answer refused): the controls go back to what
   * the figures show. */
  function putBack(cfg, args) {
    var shown = Object.assign({}, args.shown || {});
    shown.groups = (shown.groups || []).filter(function (g) { return g !== "none"; });
    putControls(cfg, shown, args.controls);
    return nothing();
  }

  /* A chart below or above the screen is drawn when it comes near it (half a screen away): at load (the
   * layout's graphs start empty, their figures in a store: drawAtLoad) and at each choice (apply). Its place
   * (views.common.graph) keeps its height and its last drawing meanwhile; printing and `drawAll` draw every
   * one first. A phone shows no chart at load: drawing all four there took 1.3 s of its main thread. */
  var deferred = {}; // chart id -> the props it is to be drawn with
  var watcher = null;

  // The box a chart is drawn in: watched rather than the chart's own element, which dcc.Graph replaces once
  // its code has loaded (a stand-in until then).
  function placeOf(element) {
    var place = element && element.parentElement;
    return place && place.classList.contains(config().graphPlace) ? place : element;
  }

  function offScreen(id) {
    var element = document.getElementById(id);
    if (!element || !element.classList.contains("dash-graph")) return false;
    var box = placeOf(element).getBoundingClientRect();
    var margin = window.innerHeight / 2;
    return box.bottom < -margin || box.top > window.innerHeight + margin;
  }

  function drawDeferred(id, now) {
    if (!deferred[id]) return;
    var props = deferred[id];
    delete deferred[id];
    var element = document.getElementById(id);
    if (watcher && element) watcher.unobserve(placeOf(element));
    // Printing lays the page out as soon as its handlers return: plotly's public Plotly.react draws the chart
    // at once, and Dash then holds the same figure (set_props), so it draws nothing more.
    var plot = now && element && element.querySelector(".js-plotly-plot");
    if (plot && window.Plotly && props.figure) window.Plotly.react(plot, props.figure.data, props.figure.layout);
    window.dash_clientside.set_props(id, props);
  }

  /* Every chart drawn now (printing: assets/print.js; tests that read every chart). */
  function drawAll() {
    Object.keys(deferred).forEach(function (id) { drawDeferred(id, true); });
  }

  function defer(id, props) {
    if (!watcher) {
      watcher = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          var place = entry.target;
          var chart = place.classList.contains("dash-graph") ? place : place.querySelector(".dash-graph");
          if (!entry.isIntersecting) return;
          if (chart) drawDeferred(chart.id, false);
        });
      }, {rootMargin: "50% 0px"});
    }
    deferred[id] = Object.assign(deferred[id] || {}, props);
    watcher.observe(placeOf(document.getElementById(id)));
  }

  /* The layout's charts at load (ids.FIGURES_AT_LOAD, by graph id): drawn now near the screen, else when
   * they come near it. The page's first answer holds the same figures (start): a choice compares with them. */
  function drawAtLoad(figures) {
    Object.keys(figures || {}).forEach(function (id) {
      if (offScreen(id)) defer(id, {figure: figures[id]});
      else window.dash_clientside.set_props(id, {figure: figures[id]});
    });
  }

  /* The views' properties that differ from the screen, to be set now; a chart off the screen is drawn later,
   * as it scrolls into view. */
  function apply(entry) {
    var changed = rules.changes(entry.answer.views, textsOf(entry), state.applied);
    var now = {};
    Object.keys(changed).forEach(function (id) {
      if ("figure" in changed[id] && offScreen(id)) defer(id, changed[id]);
      else {
        delete deferred[id];
        now[id] = changed[id];
      }
    });
    state.applied = entry.texts;
    state.shownQuery = entry.answer.key;
    state.search = entry.answer.url;
    return now;
  }

  function choose() {
    var cfg = config();
    var args = rules.named(cfg.arguments, Array.prototype.slice.call(arguments));
    var triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
    // Dash's Location reports the address as the page mounts: the page already shows it.
    if (triggered[0] === cfg.url + ".search" && args.search === state.search) return nothing();
    var query = rules.requested(cfg, args, triggered);
    if (query === null || query === state.shownQuery) return nothing();
    return obtain(query, args.version).then(function (entry) {
      if (entry && entry.moved && moveTo(rules.pageAddress(cfg, query))) return nothing();
      if (!entry || entry.refused || entry.moved) {
        if (entry) document.documentElement.setAttribute("data-refused", query);
        else window.dispatchEvent(new CustomEvent("dashboard:unanswered"));
        return putBack(cfg, args);
      }
      var changed = apply(entry);
      prefetchSoon();
      return outputs(cfg, entry.answer, args, changed);
    });
  }

  /* Once idle, the answers of every year of the selection on screen, one after the other. */
  function prefetchSoon() {
    var cfg = config();
    if ((navigator.connection || {}).saveData || !state.shownQuery) return;
    var base = state.shownQuery;
    document.documentElement.removeAttribute("data-years-kept");
    var idle = window.requestIdleCallback || function (f) { return window.setTimeout(f, 50); };
    var queue = rules.yearsAround(cfg.years, new URLSearchParams(base).get("year")).map(function (year) {
      return rules.withYear(base, year);
    });
    var next = function () {
      if (state.shownQuery !== base) return; // another choice: its own years come next
      var query = queue.shift();
      if (query === undefined) {
        document.documentElement.setAttribute("data-years-kept", base);
        return;
      }
      obtain(query, cfg.version).then(function (entry) {
        if (entry && entry.moved) moveTo(window.location.search);
        else if (entry && !entry.refused) idle(next, {timeout: 2000});
      });
    };
    idle(next, {timeout: 2000});
  }

  /* The server is on other data: the page moves whole to it, at `address`, and says so once there. */
  function moveTo(address) {
    // The first move stands (the worker also tells every window of new data); a page that is itself the end
    // of a move does not move again (an answer of another version there is refused: no loop of reloads).
    if (state.moving || state.movedHere) return false;
    state.moving = true;
    window.sessionStorage.setItem(MOVED, "1");
    window.location.assign(address || "?");
    return true;
  }

  /* New data found outside a choice (a map callback's answer, the worker's word): the page moves whole to it at
   * its address, once the choices' answers under way are settled (15 s at most). A choice meeting the new data
   * at the same moment moves the page to that choice's address instead, and its move stands. */
  function moveWhenSettled() {
    var waited = 0;
    var check = function () {
      if (state.moving) return;
      if (state.pending.size && waited < config().timeoutMs) {
        waited += 200;
        window.setTimeout(check, 200);
      } else {
        moveTo(window.location.search);
      }
    };
    check();
  }

  /* Once the interactive page is drawn, the sentence that says the figures were updated. */
  function sayMoved(cfg) {
    if (!window.sessionStorage.getItem(MOVED)) return;
    window.sessionStorage.removeItem(MOVED);
    state.movedHere = true;
    var say = function () {
      if (!document.documentElement.hasAttribute("data-drawn")) {
        window.setTimeout(say, 100);
        return;
      }
      window.dash_clientside.set_props(cfg.notice, {children: cfg.updated});
    };
    say();
  }

  /* The page starts on the selection the server wrote (CONFIG.selection): its answer is what is on screen. */
  function start() {
    var cfg = config();
    if (!cfg) return;
    var query = rules.choiceQuery(cfg.selection, false, cfg);
    state.shownQuery = query;
    state.search = window.location.search;
    sayMoved(cfg);
    // A stand-in page (offline, at an address whose answer is kept) is filled by assets/offline.js first.
    if (cfg.standIn || (navigator.connection || {}).saveData) return;
    var begin = function () {
      obtain(query, cfg.version).then(function (entry) {
        if (entry && entry.answer && state.shownQuery === query) state.applied = textsOf(entry);
        if (entry && !entry.moved) prefetchSoon();
      });
    };
    if (document.readyState === "complete") window.setTimeout(begin, 0);
    else window.addEventListener("load", function () { window.setTimeout(begin, 0); });
    // The tab shown again (a window's focus event also comes with a click in it: a choice would race it).
    window.addEventListener("online", revalidate);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) revalidate(); });
  }

  /* Is the server still on the page's data? Asked when the tab is shown again or the link comes back. */
  function revalidate() {
    var cfg = config();
    if (Date.now() - state.lastCheck < cfg.revalidateMs) return;
    state.lastCheck = Date.now();
    fetch(cfg.health, {cache: "no-store"}).then(function (response) { return response.json(); }).then(function (health) {
      if (health.data_version && !rules.sameVersion(cfg.version, health.data_version)) moveTo(window.location.search);
    }, function () { return undefined; });
  }

  root.dash_clientside = root.dash_clientside || {};
  root.dash_clientside.dashboard = Object.assign(root.dash_clientside.dashboard || {}, {
    choose: choose,
    frameTexts: frameTexts,
  });
  root.dashboard = Object.assign({}, root.dashboard, {
    config: config,
    answers: {
      rules: rules,
      state: state,
      revalidate: revalidate,
      moveTo: moveTo,
      moveWhenSettled: moveWhenSettled,
      drawAll: drawAll,
      drawAtLoad: drawAtLoad,
    },
  });
  start();
})(typeof window !== "undefined" ? window : globalThis);
