/* The dashboard's service worker: what was seen, and every year of the selection on screen, readable offline.
 *
 * Served by the app at /sw.js (dashboard/offline.py puts the control ids and the texts in CONFIG), under the
 * site's Content-Security-Policy. Two caches:
 *   - dashboard-static-v1: scripts, styles, icons (fingerprinted files cache first, the others network first);
 *     at most STATIC_LIMIT entries.
 *   - dashboard-pages-v1-<data version>: pages (their HTML, with the server's headers), the layout Dash asks
 *     for each page and Dash's callback list; at most PAGE_LIMIT pages per operation and language, the oldest
 *     saved dropped first. A new data version on any answer from the server drops the old cache whole and
 *     tells every open page: no page mixes figures of two versions.
 * Pages, layouts and callbacks go to the network first; after NETWORK_TIMEOUT_MS (a callback:
 * CALLBACK_TIMEOUT_MS), or when it fails, the saved copy is served with the offline line filled in. A callback
 * the server cannot answer gets a
 * "no update" (204), and its page is told what to do: open the saved page of the selection asked for, or say
 * that it is not available offline and put the controls back.
 */
"use strict";
importScripts("/assets/offline-text.js");

const CONFIG = /* CONFIG */ {};
const STATIC = "dashboard-static-v1";
const PAGES = "dashboard-pages-v1-";
const NETWORK_TIMEOUT_MS = 5000;
// A callback has no saved copy to show instead: giving up on it reverts the choice, so it waits longer for a
// server that is slow but there (a first answer after a restart on new data, a loaded machine).
const CALLBACK_TIMEOUT_MS = 15000;
const SAVE_TIMEOUT_MS = 30000;
const PAGE_LIMIT = 24;
const STATIC_LIMIT = 80;
const UPDATE = "/_dash-update-component";
const LAYOUT = "/_dash-layout";
const DEPENDENCIES = "/_dash-dependencies";
const HEALTH = "/healthz";
const NETWORK_ONLY = ["/sw.js", "/download/"];
// Dash's fingerprinted bundles and the stamped /assets/ files never change under the same address.
const FINGERPRINT = /\.v[\w-]+m[0-9a-f]+\./i;
const GATEWAY_ERRORS = [502, 503, 504];

let dataVersion; // the version of the pages cache; undefined until read from the cache names
let saving = Promise.resolve();
const substitutes = new Map(); // page address -> the saved page served for it (its layout goes with it)

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("dashboard-") && name !== STATIC && !name.startsWith(PAGES)) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === "navigate") {
    event.respondWith(navigation(event));
  } else if (url.pathname === UPDATE && request.method === "POST") {
    event.respondWith(callback(event));
  } else if (request.method !== "GET") {
    return;
  } else if (url.pathname === HEALTH) {
    event.respondWith(health(request));
  } else if (url.pathname === LAYOUT) {
    const page = substitutes.get(pageKey(request.referrer)) || request.referrer;
    event.respondWith(networkFirst(event, layoutKey(page)));
  } else if (url.pathname === DEPENDENCIES) {
    event.respondWith(networkFirst(event, url.href));
  } else if (FINGERPRINT.test(url.pathname) || (url.pathname.startsWith("/assets/") && url.searchParams.has("m"))) {
    event.respondWith(cacheFirst(event));
  } else {
    event.respondWith(staticNetworkFirst(event));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "save") {
    saving = saving.then(() => save(message, event.source)).catch(() => undefined);
    event.waitUntil(saving);
  }
});

// --- addresses and selections -------------------------------------------------------------------------

/* One key per address whatever the order of its parameters. */
function pageKey(address) {
  const url = new URL(address, self.location.origin);
  const params = [...url.searchParams].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return url.origin + url.pathname + (query ? "?" + query : "");
}

function layoutKey(address) {
  return self.location.origin + LAYOUT + "?page=" + encodeURIComponent(pageKey(address));
}

/* A selection (the page's `selection` store, or the controls' values) as one comparable string. */
function selectionKey(s) {
  const groups = Array.isArray(s.groups) && s.groups.length ? s.groups.map(String).sort() : ["none"];
  return [s.op, s.year, groups.join(","), s.lang, s.source, s.donor_type, s.donor || "", s.sort].map(String).join("|");
}

function unescapeHtml(text) {
  const named = {amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'"};
  return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name) => named[name]);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})[c]);
}

function selectionIn(html) {
  const match = html.match(/<meta name="dashboard-selection" content="([^"]*)">/);
  if (!match) return null;
  try {
    return JSON.parse(unescapeHtml(match[1]));
  } catch (error) {
    return null;
  }
}

function langOf(address) {
  const lang = new URL(address, self.location.origin).searchParams.get("lang");
  return CONFIG.texts[lang] ? lang : "en";
}

// --- the network, with a time limit ---------------------------------------------------------------------

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

async function fromNetwork(request, ms) {
  const response = await withTimeout(fetch(request), ms);
  if (GATEWAY_ERRORS.includes(response.status)) throw new Error("gateway " + response.status);
  return response;
}

// --- data versions --------------------------------------------------------------------------------------

async function currentVersion() {
  if (dataVersion === undefined) {
    const name = (await caches.keys()).find((n) => n.startsWith(PAGES));
    dataVersion = name ? name.slice(PAGES.length) : null;
  }
  return dataVersion;
}

/* Note the data version an answer was computed from; a new one drops the copies of the version saved before,
 * and every open page is told (a page without Dash's renderer reloads; an interactive page gets the new data
 * whole with its next answer). */
async function noteVersion(response) {
  const version = response.headers.get("X-Data-Version");
  if (!version) return;
  const before = await currentVersion();
  if (before === version) return;
  dataVersion = version;
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== PAGES + version) await caches.delete(name);
  }
  substitutes.clear();
  if (!before) return;
  for (const client of await self.clients.matchAll({type: "window"})) {
    client.postMessage({type: "data-version", version: version});
  }
}

async function pagesCache() {
  const version = await currentVersion();
  return version ? caches.open(PAGES + version) : null;
}

// --- saving ---------------------------------------------------------------------------------------------

function isPage(response) {
  return response.ok && (response.headers.get("Content-Type") || "").startsWith("text/html");
}

/* Keep a page's HTML with the server's headers (its CSP among them) and what it is filed under. */
async function savePage(address, response, kind) {
  const version = response.headers.get("X-Data-Version");
  if (!version || version !== (await currentVersion())) return false;
  const html = await response.text();
  const selection = selectionIn(html);
  if (!selection) return false;
  const headers = new Headers(response.headers);
  for (const name of ["Content-Encoding", "Content-Length", "ETag", "Vary"]) headers.delete(name);
  headers.set("X-Saved-At", new Date().toISOString());
  headers.set("X-Address", address.split("#")[0]);
  headers.set("X-Selection", selectionKey(selection));
  headers.set("X-Bucket", selection.op + "|" + selection.lang);
  headers.set("X-Kind", kind);
  const cache = await caches.open(PAGES + version);
  await cache.put(pageKey(address), new Response(html, {status: 200, headers: headers}));
  await trimPages(cache, selection.op + "|" + selection.lang);
  return true;
}

async function saveAnswer(key, response) {
  const version = response.headers.get("X-Data-Version");
  if (!response.ok || !version || version !== (await currentVersion())) return;
  await (await caches.open(PAGES + version)).put(key, response);
}

async function savedPages(cache) {
  const pages = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response && response.headers.get("X-Address")) pages.push({request: request, response: response});
  }
  return pages;
}

/* At most PAGE_LIMIT pages per operation and language: the oldest saved go, with their layouts. */
async function trimPages(cache, bucket) {
  const pages = (await savedPages(cache)).filter((p) => p.response.headers.get("X-Bucket") === bucket);
  pages.sort((a, b) => (a.response.headers.get("X-Saved-At") < b.response.headers.get("X-Saved-At") ? -1 : 1));
  for (const page of pages.slice(0, Math.max(0, pages.length - PAGE_LIMIT))) {
    await cache.delete(page.request);
    await cache.delete(layoutKey(page.response.headers.get("X-Address")));
  }
}

async function saveStatic(request, response) {
  const cache = await caches.open(STATIC);
  await cache.put(request, response);
  const keys = await cache.keys(); // in the order they were put
  for (const old of keys.slice(0, Math.max(0, keys.length - STATIC_LIMIT))) await cache.delete(old);
}

/* What a page asks for once idle: the files it loaded, itself, and the other years of its selection. */
async function save(message, client) {
  const cache = await caches.open(STATIC);
  for (const address of message.resources || []) {
    if (await cache.match(address)) continue;
    try {
      const response = await withTimeout(fetch(address), SAVE_TIMEOUT_MS);
      if (response.ok) await saveStatic(address, response);
    } catch (error) {
      return; // the network went: the next visit tries again
    }
  }
  let count = 0;
  for (const address of [message.page].concat(message.years || [])) {
    try {
      if (await savePageAndLayout(address, address === message.page ? "seen" : "year")) count += 1;
    } catch (error) {
      return;
    }
  }
  if (client) client.postMessage({type: "saved", page: message.page, count: count});
}

async function savePageAndLayout(address, kind) {
  const cache = await pagesCache();
  if (cache && (await cache.match(pageKey(address))) && (await cache.match(layoutKey(address)))) return true;
  const page = await withTimeout(fetch(address), SAVE_TIMEOUT_MS);
  await noteVersion(page);
  if (!isPage(page) || !(await savePage(address, page, kind))) return false;
  const layout = await withTimeout(fetch(LAYOUT, {referrer: address}), SAVE_TIMEOUT_MS);
  await noteVersion(layout);
  await saveAnswer(layoutKey(address), layout);
  return true;
}

// --- answering ------------------------------------------------------------------------------------------

async function navigation(event) {
  const request = event.request;
  const network = fetch(request);
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (GATEWAY_ERRORS.includes(response.status)) throw new Error("gateway");
    await noteVersion(response);
    if (isPage(response)) event.waitUntil(savePage(request.url, response.clone(), "seen"));
    return response;
  } catch (error) {
    // An answer that comes after the time limit still refreshes the saved copy, for the next visit.
    event.waitUntil(
      network
        .then(async (late) => {
          await noteVersion(late);
          if (isPage(late)) await savePage(request.url, late, "seen");
        })
        .catch(() => undefined)
    );
    const cache = await pagesCache();
    const saved = cache && (await cache.match(pageKey(request.url)));
    if (saved) return offlineCopy(saved);
    const last = cache && (await lastSaved(cache, request.url));
    if (last && isStartAddress(request.url)) {
      substitutes.set(pageKey(request.url), last.headers.get("X-Address"));
      return offlineCopy(last);
    }
    return notSaved(request.url, last && last.headers.get("X-Address"));
  }
}

/* The address the home-screen icon opens (`/?lang=fr`) or the bare site: the last page seen stands in. */
function isStartAddress(address) {
  const keys = [...new URL(address).searchParams.keys()];
  return keys.every((k) => k === "lang");
}

async function lastSaved(cache, address) {
  const lang = new URL(address).searchParams.get("lang");
  const pages = (await savedPages(cache)).map((p) => p.response);
  const rank = (r) => [
    !lang || r.headers.get("X-Bucket").endsWith("|" + lang) ? 1 : 0,
    r.headers.get("X-Kind") === "seen" ? 1 : 0,
    r.headers.get("X-Saved-At"),
  ];
  pages.sort((a, b) => (JSON.stringify(rank(a)) < JSON.stringify(rank(b)) ? 1 : -1));
  return pages[0] || null;
}

/* The saved page with the offline line filled in, in the page's language. */
async function offlineCopy(saved) {
  const html = await saved.text();
  const lang = (html.match(/<html lang="(\w+)"/) || [])[1];
  const texts = CONFIG.texts[lang] || CONFIG.texts.en;
  const when = saved.headers.get("X-Saved-At");
  const line = self.dashboard.offlineText.savedLine(texts.saved, lang, when);
  const marker = new RegExp('<p id="' + CONFIG.statusId + '"([^>]*?) hidden([^>]*)></p>');
  const marked = html.replace(
    marker,
    (_, before, after) =>
      '<p id="' + CONFIG.statusId + '"' + before + ' data-saved-at="' + when + '"' + after + ">" + escapeHtml(line) + "</p>"
  );
  return new Response(marked, {status: 200, headers: saved.headers});
}

function notSaved(address, last) {
  const lang = langOf(address);
  const texts = CONFIG.texts[lang];
  const link = last ? '<p><a href="' + escapeHtml(last) + '">' + escapeHtml(texts.openlast) + "</a></p>" : "";
  const html =
    '<!DOCTYPE html><html lang="' + lang + '"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' + escapeHtml(texts.notsaved) +
    '</title></head><body><p role="status">' + escapeHtml(texts.notsaved) + "</p>" + link + "</body></html>";
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  });
}

async function networkFirst(event, key) {
  try {
    const response = await fromNetwork(event.request, NETWORK_TIMEOUT_MS);
    await noteVersion(response);
    event.waitUntil(saveAnswer(key, response.clone()));
    return response;
  } catch (error) {
    const cache = await pagesCache();
    const saved = cache && (await cache.match(key));
    return saved || Response.error();
  }
}

/* The page asks whether the server is back: the worker answers for it when it is not, without an error. */
async function health(request) {
  try {
    const response = await fromNetwork(request, NETWORK_TIMEOUT_MS);
    await noteVersion(response);
    return response;
  } catch (error) {
    return new Response(JSON.stringify({status: "unreachable"}), {headers: {"Content-Type": "application/json"}});
  }
}

async function cacheFirst(event) {
  const saved = await caches.match(event.request, {cacheName: STATIC});
  if (saved) return saved;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(saveStatic(event.request, response.clone()));
  return response;
}

async function staticNetworkFirst(event) {
  try {
    const response = await fromNetwork(event.request, NETWORK_TIMEOUT_MS);
    if (response.ok) event.waitUntil(saveStatic(event.request, response.clone()));
    return response;
  } catch (error) {
    return (await caches.match(event.request, {cacheName: STATIC})) || Response.error();
  }
}

/* A callback: the server's answer, or a "no update" and a word to the page when there is none. */
async function callback(event) {
  const body = await event.request.clone().text();
  try {
    const response = await fromNetwork(event.request, CALLBACK_TIMEOUT_MS);
    // An answer from newer data than the page's holds the whole page on the new data (the callbacks compare
    // the page's version with the server's): it goes through, and the copies of the old data are dropped.
    await noteVersion(response);
    return response;
  } catch (error) {
    return unanswered(event, body);
  }
}

function valueOf(items, id, property) {
  const item = (items || []).find((i) => i && i.id === id && i.property === property);
  return item ? item.value : undefined;
}

async function unanswered(event, body) {
  const client = event.clientId ? await self.clients.get(event.clientId) : null;
  let call;
  try {
    call = JSON.parse(body);
  } catch (error) {
    call = {};
  }
  const changed = Array.isArray(call.changedPropIds) ? call.changedPropIds : [];
  const shown = valueOf(call.state, CONFIG.selection, "data");
  const controls = CONFIG.controls;
  // A callback the page makes as it starts: the saved layout already holds its answer.
  if (!changed.length || !shown || valueOf(call.inputs, controls.year, "value") === undefined) {
    if (client) client.postMessage({type: "offline"});
    return new Response(null, {status: 204});
  }
  const requested = {};
  for (const name of Object.keys(controls)) requested[name] = valueOf(call.inputs, controls[name], "value");
  if (changed.includes(CONFIG.barClick + ".clickData")) {
    const click = valueOf(call.inputs, CONFIG.barClick, "clickData");
    const year = click && click.points && click.points[0] && click.points[0].x;
    if (year !== undefined) requested.year = String(year);
  }
  if (selectionKey(requested) === selectionKey(shown)) {
    if (client) client.postMessage({type: "offline"});
    return new Response(null, {status: 204});
  }
  const cache = await pagesCache();
  const match = cache
    ? (await savedPages(cache)).find((p) => p.response.headers.get("X-Selection") === selectionKey(requested))
    : null;
  const revert = [];
  for (const name of Object.keys(controls)) {
    const value = name === "groups" ? (shown.groups || []).filter((g) => g !== "none") : shown[name];
    if (JSON.stringify(value) !== JSON.stringify(requested[name])) revert.push([controls[name], value]);
  }
  if (client) {
    client.postMessage({
      type: "unanswered",
      address: match ? match.response.headers.get("X-Address") : null,
      revert: revert,
    });
  }
  return new Response(null, {status: 204});
}
