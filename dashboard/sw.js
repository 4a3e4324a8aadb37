/* The dashboard's service worker: what was seen, and every answer the page fetched, readable offline.
 *
 * Served by the app at /sw.js (dashboard/offline.py puts the paths, limits and texts in CONFIG), under the
 * site's Content-Security-Policy. It is a cache by address, like any other: it decodes no request body and
 * rewrites no page. Two caches:
 *   - dashboard-static-v1: scripts, styles, icons (fingerprinted files cache first, the others network first);
 *     at most CONFIG.staticLimit entries.
 *   - dashboard-pages-v1-<data version>: pages (their HTML, with the server's headers), the layout Dash asks
 *     for each page, Dash's callback list and the answers (/answers/<version>?<selection>, which never change
 *     under their address: cache first); at most CONFIG.pageLimit pages per operation and language and
 *     CONFIG.answerLimit answers, the oldest saved dropped first. A new data version on any answer from the
 *     server drops the old cache whole and tells every open page: no page mixes figures of two versions.
 * Pages, layouts and the callback list go to the network first; after CONFIG.networkTimeoutMs, or when it
 * fails, the saved copy of that very address is served, and the page is told that what it shows is a saved
 * copy (a window that asks: "hello"). An address whose page was never saved but whose answer is kept (a year
 * chosen offline, then the page reloaded; an address from history) gets its operation's and language's
 * stand-in page (CONFIG.shellPath: a page the server makes to show nothing until it is filled, saved like
 * the others) and the layout of a page saved for them, and its window is told which kept answer is its own
 * (assets/offline.js fills the page from it before showing anything): every answer kept is filed under the
 * page address it shows (its `url`). Any other address gets a short page saying it was not saved, with a link
 * to the last page saved in its language; the bare start address opens that page (a redirect: its own
 * address).
 */
"use strict";

const CONFIG = /* CONFIG */ {};
const STATIC = "dashboard-static-v1";
const PAGES = "dashboard-pages-v1-";
const LAYOUT = "/_dash-layout";
const DEPENDENCIES = "/_dash-dependencies";
// Dash's fingerprinted bundles and the stamped /assets/ files never change under the same address.
const FINGERPRINT = /\.v[\w-]+m[0-9a-f]+\./i;
const GATEWAY_ERRORS = [502, 503, 504];

let dataVersion; // the version of the pages cache; undefined until read from the cache names
let saving = Promise.resolve();
// The windows whose page came from the cache (client id -> {savedAt, answer, layout}: when the figures were
// saved; for a stand-in page, the kept answer of its address and the layout it starts on). Written only for
// the navigation that made the window: it tells that window, never files one address under another.
const servedSaved = new Map();

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
  if (url.origin !== self.location.origin || CONFIG.networkOnly.some((p) => url.pathname.startsWith(p))) return;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(navigation(event));
  } else if (url.pathname === CONFIG.health) {
    event.respondWith(health(event));
  } else if (url.pathname.startsWith(CONFIG.answers)) {
    event.respondWith(answer(event));
  } else if (url.pathname === LAYOUT) {
    event.respondWith(layout(event));
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
  } else if (message.type === "hello" && event.source) {
    event.waitUntil(hello(event.source, message.standIn === true));
  }
});

// --- addresses ------------------------------------------------------------------------------------------

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

/* The data version an answer's address names (/answers/<code version>/<data version>?...): its last part. */
function answerVersion(address) {
  return new URL(address, self.location.origin).pathname.split("/").pop();
}

function unescapeHtml(text) {
  const named = {amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'"};
  return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name) => named[name]);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})[c]);
}

/* The selection a saved page shows, from the meta tag the server writes (dashboard/offline.py). */
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

/* The address the home-screen icon opens (`/?lang=fr`) or the bare site. */
function isStartAddress(address) {
  const keys = [...new URL(address, self.location.origin).searchParams.keys()];
  return keys.every((k) => k === "lang");
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
 * and every open page is told (it reloads: one data version per page). */
async function noteVersion(response) {
  const version = response.headers.get(CONFIG.versionHeader);
  if (!version) return;
  const before = await currentVersion();
  if (before === version) return;
  dataVersion = version;
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== PAGES + version) await caches.delete(name);
  }
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

/* Keep a page's HTML as the server sent it, with its headers (its CSP among them) and what it is filed under. */
async function savePage(address, response, kind) {
  const version = response.headers.get(CONFIG.versionHeader);
  if (!version || version !== (await currentVersion())) return false;
  const html = await response.text();
  const selection = selectionIn(html);
  if (!selection) return false;
  const headers = new Headers(response.headers);
  for (const name of ["Content-Encoding", "Content-Length", "ETag", "Vary"]) headers.delete(name);
  headers.set("X-Saved-At", new Date().toISOString());
  headers.set("X-Address", address.split("#")[0]);
  headers.set("X-Bucket", selection.op + "|" + selection.lang);
  headers.set("X-Kind", kind);
  const cache = await caches.open(PAGES + version);
  await cache.put(pageKey(address), new Response(html, {status: 200, headers: headers}));
  await trimPages(cache, selection.op + "|" + selection.lang);
  return true;
}

function isAnswer(key) {
  return new URL(key).pathname.startsWith(CONFIG.answers);
}

/* An answer as kept: its body as sent, filed under the page address it shows (its `url`) and the operation
 * and language of its selection, with when it was saved (one without them is kept, filed under nothing). */
async function filedAnswer(response) {
  const text = await response.text();
  const headers = new Headers(response.headers);
  for (const name of ["Content-Encoding", "Content-Length"]) headers.delete(name);
  headers.set("X-Saved-At", new Date().toISOString());
  let answer = null;
  try {
    answer = JSON.parse(text);
  } catch (error) {
    answer = null;
  }
  if (answer && typeof answer.url === "string" && answer.url.startsWith("?") && answer.selection) {
    headers.set("X-Answer-For", pageKey("/" + answer.url));
    headers.set("X-Bucket", answer.selection.op + "|" + answer.selection.lang);
  }
  return new Response(text, {status: response.status, headers: headers});
}

/* Keep an answer of the cache's version under its key; answers beyond the limit go, oldest first. */
async function saveAnswer(key, response) {
  const version = response.headers.get(CONFIG.versionHeader);
  // An answer the server says not to keep (it tells a page of other code to move whole) is never kept.
  if ((response.headers.get("Cache-Control") || "").includes("no-store")) return;
  if (!response.ok || !version || version !== (await currentVersion())) return;
  const cache = await caches.open(PAGES + version);
  await cache.put(key, isAnswer(key) ? await filedAnswer(response) : response);
  if (isAnswer(key)) {
    const answers = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(CONFIG.answers));
    for (const old of answers.slice(0, Math.max(0, answers.length - CONFIG.answerLimit))) await cache.delete(old);
  }
}

/* The pages saved as seen (`kind`: "stand-in" for the stand-in pages), oldest saved first. */
async function savedPages(cache, kind = "seen") {
  const pages = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response && response.headers.get("X-Address") && response.headers.get("X-Kind") === kind) {
      pages.push({request: request, response: response});
    }
  }
  return pages.sort((a, b) => (a.response.headers.get("X-Saved-At") < b.response.headers.get("X-Saved-At") ? -1 : 1));
}

/* At most CONFIG.pageLimit pages per operation and language: the oldest saved go, with their layouts (the
 * stand-in page, one per operation and language, is not one of them). */
async function trimPages(cache, bucket) {
  const pages = (await savedPages(cache)).filter((p) => p.response.headers.get("X-Bucket") === bucket);
  for (const page of pages.slice(0, Math.max(0, pages.length - CONFIG.pageLimit))) {
    await cache.delete(page.request);
    await cache.delete(layoutKey(page.response.headers.get("X-Address")));
  }
}

async function saveStatic(request, response) {
  const cache = await caches.open(STATIC);
  await cache.put(request, response);
  const keys = await cache.keys(); // in the order they were put
  for (const old of keys.slice(0, Math.max(0, keys.length - CONFIG.staticLimit))) await cache.delete(old);
}

/* What a page asks for once idle: the files it loaded and itself (its years travel as answers). */
async function save(message, client) {
  const cache = await caches.open(STATIC);
  for (const address of message.resources || []) {
    if (await cache.match(address)) continue;
    try {
      const response = await withTimeout(fetch(address), CONFIG.saveTimeoutMs);
      if (response.ok) await saveStatic(address, response);
    } catch (error) {
      return; // the network went: the next visit tries again
    }
  }
  let saved = false;
  try {
    saved = await savePageAndLayout(message.page);
    if (saved && message.standIn) await saveStandIn(message.standIn);
  } catch (error) {
    return;
  }
  if (client) client.postMessage({type: "saved", page: message.page, count: saved ? 1 : 0});
}

/* The stand-in page of an operation and language (CONFIG.shellPath), once per data version: it shows nothing
 * until the page script fills it from a kept answer. */
async function saveStandIn(address) {
  if (new URL(address, self.location.origin).pathname !== CONFIG.shellPath) return;
  const cache = await pagesCache();
  if (cache && (await cache.match(pageKey(address)))) return;
  const page = await withTimeout(fetch(address), CONFIG.saveTimeoutMs);
  await noteVersion(page);
  if (isPage(page)) await savePage(address, page, "stand-in");
}

async function savePageAndLayout(address) {
  const cache = await pagesCache();
  if (cache && (await cache.match(pageKey(address))) && (await cache.match(layoutKey(address)))) return true;
  const page = await withTimeout(fetch(address), CONFIG.saveTimeoutMs);
  await noteVersion(page);
  if (!isPage(page) || !(await savePage(address, page, "seen"))) return false;
  const layout = await withTimeout(fetch(LAYOUT, {referrer: address}), CONFIG.saveTimeoutMs);
  await noteVersion(layout);
  await saveAnswer(layoutKey(address), layout);
  return true;
}

// --- answering ------------------------------------------------------------------------------------------

async function tell(clientId, message) {
  const client = clientId ? await self.clients.get(clientId) : null;
  if (client) client.postMessage(message);
}

async function navigation(event) {
  const request = event.request;
  const network = fetch(request);
  try {
    const response = await withTimeout(network, CONFIG.networkTimeoutMs);
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
    return savedNavigation(request.url, event.resultingClientId);
  }
}

/* Offline: the saved copy of this very address; the start address opens the last page saved in its language
 * under that page's own address; any other address says it was not saved. */
async function savedNavigation(address, clientId) {
  const cache = await pagesCache();
  const saved = cache && (await cache.match(pageKey(address)));
  if (saved) {
    if (clientId) servedSaved.set(clientId, {savedAt: saved.headers.get("X-Saved-At")});
    return saved;
  }
  const standIn = cache && (await standInFor(cache, address));
  if (standIn) {
    if (clientId) servedSaved.set(clientId, standIn.told);
    return standIn.page;
  }
  const last = cache && (await lastSaved(cache, address));
  if (last && isStartAddress(address)) return Response.redirect(last.headers.get("X-Address"), 302);
  return notSaved(address, last && last.headers.get("X-Address"));
}

/* For an address whose page was never saved: its kept answer (the latest filed under it), the stand-in page of
 * that answer's operation and language, and the layout of the last page saved for them; null when one lacks.
 * The answer names the address it shows, so no other address's figures are ever shown as this one's. */
async function standInFor(cache, address) {
  const key = pageKey(address);
  let answer = null;
  for (const request of await cache.keys()) {
    if (!isAnswer(request.url)) continue;
    const response = await cache.match(request);
    if (!response || response.headers.get("X-Answer-For") !== key) continue;
    if (!answer || response.headers.get("X-Saved-At") >= answer.response.headers.get("X-Saved-At")) {
      answer = {url: request.url, response: response};
    }
  }
  if (!answer) return null;
  const bucket = answer.response.headers.get("X-Bucket");
  const inBucket = (p) => p.response.headers.get("X-Bucket") === bucket;
  const shell = (await savedPages(cache, "stand-in")).filter(inBucket).pop();
  let layout = null;
  for (const page of (await savedPages(cache)).filter(inBucket).reverse()) {
    const key = layoutKey(page.response.headers.get("X-Address"));
    if (await cache.match(key)) {
      layout = key;
      break;
    }
  }
  if (!shell || !layout) return null;
  const told = {savedAt: answer.response.headers.get("X-Saved-At"), answer: answer.url, layout: layout};
  return {page: shell.response, told: told};
}

async function lastSaved(cache, address) {
  const lang = new URL(address, self.location.origin).searchParams.get("lang");
  const pages = (await savedPages(cache)).map((p) => p.response);
  const rank = (r) => [
    !lang || r.headers.get("X-Bucket").endsWith("|" + lang) ? 1 : 0,
    r.headers.get("X-Saved-At"),
  ];
  pages.sort((a, b) => (JSON.stringify(rank(a)) < JSON.stringify(rank(b)) ? 1 : -1));
  return pages[0] || null;
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

/* An answer never changes under its address: the kept one, else the network's (kept for next time). Offline
 * and not kept: "no content" (204), which the page reads as "not available offline"; the window is told it
 * is offline. */
async function answer(event) {
  const key = pageKey(event.request.url);
  const kept = await caches.match(key, {cacheName: PAGES + answerVersion(key)});
  if (kept) return kept;
  try {
    // An answer of another version (the server moved on: a redirect) is the page's to act on: it moves whole
    // to the new data at the choice's address; the next page loaded renews the saved copies.
    const response = await fromNetwork(event.request, CONFIG.answerTimeoutMs);
    if (response.ok) event.waitUntil(saveAnswer(key, response.clone()));
    return response;
  } catch (error) {
    event.waitUntil(tell(event.clientId, {type: "offline"}));
    return new Response(null, {status: 204, headers: {"Cache-Control": "no-store"}});
  }
}

/* Dash's layout of the page that asks (its Referer); offline, the saved one of that address, or for a window
 * this worker served a stand-in page the layout it starts on (that of a page of its operation and language,
 * filled from its answer before anything shows). Never for any other window: a page showing its own first
 * view must not start on another selection's layout. */
async function layout(event) {
  const response = await networkFirst(event, layoutKey(event.request.referrer));
  const told = servedSaved.get(event.clientId);
  if (response.type !== "error" || !told || !told.layout) return response;
  const cache = await pagesCache();
  return (cache && (await cache.match(told.layout))) || Response.error();
}

/* A window asks how its page was served: a saved copy (when saved), and for a stand-in page the kept answer of
 * its address (worked out again when the worker has restarted since it served the page). */
async function hello(client, standIn) {
  let told = servedSaved.get(client.id);
  if (!told && standIn) {
    const cache = await pagesCache();
    const found = cache && (await standInFor(cache, client.url));
    told = found ? {savedAt: found.told.savedAt, answer: found.told.answer} : null;
  }
  told = told || {};
  client.postMessage({type: "served", savedAt: told.savedAt || null, answer: told.answer || null});
}

async function networkFirst(event, key) {
  try {
    const response = await fromNetwork(event.request, CONFIG.networkTimeoutMs);
    await noteVersion(response);
    event.waitUntil(saveAnswer(key, response.clone()));
    return response;
  } catch (error) {
    event.waitUntil(tell(event.clientId, {type: "offline"}));
    const cache = await pagesCache();
    const saved = cache && (await cache.match(key));
    return saved || Response.error();
  }
}

/* The page asks whether the server is back: the worker answers for it when it is not, without an error. */
async function health(event) {
  try {
    const response = await fromNetwork(event.request, CONFIG.networkTimeoutMs);
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
    const response = await fromNetwork(event.request, CONFIG.networkTimeoutMs);
    if (response.ok) event.waitUntil(saveStatic(event.request, response.clone()));
    return response;
  } catch (error) {
    return (await caches.match(event.request, {cacheName: STATIC})) || Response.error();
  }
}
