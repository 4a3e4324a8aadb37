/* What the service worker (dashboard/sw.js) answers offline, run in Node with its injected CONFIG stubbed and
 * an in-memory CacheStorage; the network is a function each test sets (a stopped server throws). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ORIGIN = "http://127.0.0.1:8100";
const CONFIG = {
  answers: "/answers/", health: "/healthz", versionHeader: "X-Data-Version", networkOnly: ["/sw.js", "/download/"],
  shellPath: "/offline-page", networkTimeoutMs: 200, answerTimeoutMs: 200, saveTimeoutMs: 200, pageLimit: 2, answerLimit: 3, staticLimit: 5,
  texts: {
    en: {saved: "Offline", unavailable: "n/a", download: "d", notsaved: "Not saved offline", openlast: "Open the last"},
    fr: {saved: "Hors ligne", unavailable: "n/d", download: "t", notsaved: "Pas enregistrée", openlast: "Ouvrir"},
  },
};

class MemoryCache {
  constructor() { this.entries = new Map(); }
  key(request) { return typeof request === "string" ? request : request.url; }
  async match(request) {
    const hit = this.entries.get(this.key(request));
    return hit ? hit.clone() : undefined;
  }
  async put(request, response) { this.entries.set(this.key(request), response.clone()); }
  async delete(request) { return this.entries.delete(this.key(request)); }
  async keys() { return [...this.entries.keys()].map((url) => ({url})); }
}

function worker() {
  const stores = new Map();
  const caches = {
    async open(name) {
      if (!stores.has(name)) stores.set(name, new MemoryCache());
      return stores.get(name);
    },
    async keys() { return [...stores.keys()]; },
    async delete(name) { return stores.delete(name); },
    async match(request, options) {
      const names = options && options.cacheName ? [options.cacheName] : [...stores.keys()];
      for (const name of names) {
        const hit = stores.has(name) && (await stores.get(name).match(request));
        if (hit) return hit;
      }
      return undefined;
    },
  };
  const posted = [];
  const sandbox = {
    self: {
      location: {origin: ORIGIN},
      addEventListener() {},
      clients: {matchAll: async () => [], get: async () => ({postMessage: (m) => posted.push(m)}), claim: async () => {}},
      skipWaiting() {},
    },
    caches, URL, URLSearchParams, Headers, Request, Response, setTimeout, clearTimeout, JSON, Promise, Map,
    network: async () => { throw new TypeError("Failed to fetch"); },
  };
  sandbox.fetch = (...args) => sandbox.network(...args);
  const source = fs.readFileSync(path.join(__dirname, "../../dashboard/sw.js"), "utf8");
  assert.ok(source.includes("/* CONFIG */ {}"));
  vm.runInNewContext(source.replace("/* CONFIG */ {}", JSON.stringify(CONFIG)), sandbox);
  return {sandbox, caches, posted};
}

function fetchEvent(url, extra = {}) {
  const waits = [];
  return {
    request: {url, mode: extra.mode || "cors", method: "GET", referrer: extra.referrer || ""},
    clientId: "page-1",
    resultingClientId: "page-2",
    waitUntil: (p) => waits.push(p),
    settled: () => Promise.all(waits),
  };
}

function page(address, version, lang) {
  const selection = JSON.stringify({op: "MLI", lang}).replace(/"/g, "&quot;");
  return new Response(`<html lang="${lang}"><meta name="dashboard-selection" content="${selection}">${address}</html>`, {
    headers: {"Content-Type": "text/html; charset=utf-8", "X-Data-Version": version},
  });
}

test("one key per address whatever the order of its parameters", () => {
  const {sandbox} = worker();
  assert.equal(sandbox.pageKey("/?year=2019&lang=fr"), sandbox.pageKey(ORIGIN + "/?lang=fr&year=2019"));
  assert.notEqual(sandbox.pageKey("/?year=2019&lang=fr"), sandbox.pageKey("/?year=2018&lang=fr"));
});

test("offline, a kept answer is served by its address, and nothing else is", async () => {
  const {sandbox, caches, posted} = worker();
  const address = ORIGIN + "/answers/v1?year=2019&lang=fr";
  await (await caches.open("dashboard-pages-v1-v1")).put(sandbox.pageKey(address), new Response('{"key":"a"}'));
  const kept = await sandbox.answer(fetchEvent(address));
  assert.equal(await kept.text(), '{"key":"a"}');
  const event = fetchEvent(ORIGIN + "/answers/v1?year=2018&lang=fr");
  const missing = await sandbox.answer(event);
  await event.settled();
  assert.equal(missing.status, 204);
  assert.equal(await missing.text(), "");
  assert.deepEqual(JSON.parse(JSON.stringify(posted)), [{type: "offline"}]);
  // An answer of another version is never taken from this version's copies.
  assert.equal((await sandbox.answer(fetchEvent(ORIGIN + "/answers/v2?year=2019&lang=fr"))).status, 204);
});

test("online, an answer is kept under its address, within the limit", async () => {
  const {sandbox, caches} = worker();
  sandbox.network = async () => page("x", "v1", "fr");
  await sandbox.noteVersion(page("x", "v1", "fr"));
  for (const year of [2015, 2016, 2017, 2018]) {
    sandbox.network = async () => new Response(`{"year":${year}}`, {headers: {"X-Data-Version": "v1"}});
    const event = fetchEvent(ORIGIN + `/answers/v1?year=${year}`);
    await sandbox.answer(event);
    await event.settled();
  }
  const kept = (await (await caches.open("dashboard-pages-v1-v1")).keys()).map((r) => r.url);
  assert.deepEqual(kept, [2016, 2017, 2018].map((y) => ORIGIN + `/answers/v1?year=${y}`));
});

test("offline, each saved address opens its own page; the start address opens the last saved under its own", async () => {
  const {sandbox} = worker();
  await sandbox.noteVersion(page("", "v1", "fr"));
  await sandbox.savePage(ORIGIN + "/?year=2016&lang=fr", page("page-2016", "v1", "fr"), "seen");
  await sandbox.savePage(ORIGIN + "/?lang=fr", page("page-start", "v1", "fr"), "seen");
  const own = await sandbox.navigation(fetchEvent(ORIGIN + "/?lang=fr&year=2016", {mode: "navigate"}));
  assert.match(await own.text(), /page-2016/);
  const start = await sandbox.navigation(fetchEvent(ORIGIN + "/?lang=fr", {mode: "navigate"}));
  assert.match(await start.text(), /page-start/);
  // An address never saved is said to be so (503), with a link to the last page saved.
  const other = await sandbox.navigation(fetchEvent(ORIGIN + "/?year=2014&lang=fr", {mode: "navigate"}));
  assert.equal(other.status, 503);
  assert.match(await other.text(), /Pas enregistrée.*href="http:\/\/127\.0\.0\.1:8100\/\?lang=fr"/);
});

test("offline, a start address never saved opens the last page saved in its language at that page's address", async () => {
  const {sandbox} = worker();
  await sandbox.noteVersion(page("", "v1", "fr"));
  await sandbox.savePage(ORIGIN + "/?year=2016&lang=fr", page("page-2016", "v1", "fr"), "seen");
  const start = await sandbox.navigation(fetchEvent(ORIGIN + "/?lang=fr", {mode: "navigate"}));
  assert.equal(start.status, 302);
  assert.equal(start.headers.get("Location"), ORIGIN + "/?year=2016&lang=fr");
});

test("a new data version drops the copies of the old one", async () => {
  const {sandbox, caches} = worker();
  await sandbox.noteVersion(page("", "v1", "fr"));
  await sandbox.savePage(ORIGIN + "/?year=2016&lang=fr", page("page-2016", "v1", "fr"), "seen");
  await sandbox.noteVersion(page("", "v2", "fr"));
  assert.deepEqual(await caches.keys(), []);
  const after = await sandbox.navigation(fetchEvent(ORIGIN + "/?year=2016&lang=fr", {mode: "navigate"}));
  assert.equal(after.status, 503);
});

test("saved pages are bounded per operation and language, the oldest going first", async () => {
  const {sandbox, caches} = worker();
  await sandbox.noteVersion(page("", "v1", "fr"));
  for (const year of [2014, 2015, 2016]) {
    await sandbox.savePage(ORIGIN + `/?year=${year}&lang=fr`, page(`p${year}`, "v1", "fr"), "seen");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await sandbox.savePage(ORIGIN + "/?year=2014&lang=en", page("p-en", "v1", "en"), "seen");
  const kept = (await (await caches.open("dashboard-pages-v1-v1")).keys()).map((r) => r.url).sort();
  assert.deepEqual(kept, [ORIGIN + "/?lang=en&year=2014", ORIGIN + "/?lang=fr&year=2015", ORIGIN + "/?lang=fr&year=2016"]);
});

function answerOf(url, lang, year) {
  const body = {key: `year=${year}&lang=${lang}`, version: "v1", url, selection: {op: "MLI", lang, year: String(year)}};
  return new Response(JSON.stringify(body), {headers: {"Content-Type": "application/json", "X-Data-Version": "v1"}});
}

/* A worker holding, for data v1: the 2019 French page seen (with its layout), the French stand-in page and
 * the kept answer of 2018 in French (a year chosen offline: its address was never a page). */
async function keptOffline() {
  const w = worker();
  const {sandbox, caches} = w;
  await sandbox.noteVersion(page("", "v1", "fr"));
  await sandbox.savePage(ORIGIN + "/?year=2019&lang=fr", page("page-2019", "v1", "fr"), "seen");
  const cache = await caches.open("dashboard-pages-v1-v1");
  await cache.put(sandbox.layoutKey(ORIGIN + "/?year=2019&lang=fr"), new Response('{"layout":"2019"}'));
  await sandbox.savePage(ORIGIN + "/offline-page?lang=fr", page("stand-in-fr", "v1", "fr"), "stand-in");
  await sandbox.saveAnswer(sandbox.pageKey(ORIGIN + "/answers/v1?year=2018&lang=fr"), answerOf("?year=2018&lang=fr", "fr", 2018));
  return w;
}

test("every answer kept is filed under the page address it shows, its body as sent", async () => {
  const {sandbox, caches} = await keptOffline();
  const kept = await (await caches.open("dashboard-pages-v1-v1")).match(ORIGIN + "/answers/v1?lang=fr&year=2018");
  assert.equal(kept.headers.get("X-Answer-For"), sandbox.pageKey(ORIGIN + "/?lang=fr&year=2018"));
  assert.equal(kept.headers.get("X-Bucket"), "MLI|fr");
  assert.equal(JSON.parse(await kept.text()).url, "?year=2018&lang=fr");
});

test("offline, an address whose answer alone is kept opens the stand-in page, and its window is told its answer", async () => {
  const {sandbox, posted} = await keptOffline();
  const event = fetchEvent(ORIGIN + "/?lang=fr&year=2018", {mode: "navigate"});
  const response = await sandbox.navigation(event);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /stand-in-fr/);
  // Dash asks for the layout of the page's address: that of a page saved in the same operation and language.
  const layout = fetchEvent(ORIGIN + "/_dash-layout", {referrer: ORIGIN + "/?lang=fr&year=2018"});
  layout.clientId = event.resultingClientId;
  assert.equal(await (await sandbox.layout(layout)).text(), '{"layout":"2019"}');
  await sandbox.hello({id: event.resultingClientId, url: ORIGIN + "/?lang=fr&year=2018", postMessage: (m) => posted.push(m)});
  const told = posted.find((m) => m.type === "served");
  assert.equal(told.answer, ORIGIN + "/answers/v1?lang=fr&year=2018");
  assert.match(told.savedAt, /^\d{4}-\d\d-\d\dT/);
});

test("a worker started again tells a stand-in page its answer; any other window gets none", async () => {
  const {sandbox, posted} = await keptOffline();
  const address = ORIGIN + "/?year=2018&lang=fr";
  await sandbox.hello({id: "restarted", url: address, postMessage: (m) => posted.push(m)}, true);
  await sandbox.hello({id: "a-page", url: address, postMessage: (m) => posted.push(m)}, false);
  assert.deepEqual(posted.map((m) => m.answer), [ORIGIN + "/answers/v1?lang=fr&year=2018", null]);
});

test("offline, no stand-in without this very address's answer in the operation's and language's stand-in", async () => {
  const {sandbox} = await keptOffline();
  // Another year: no answer kept for it.
  const other = await sandbox.navigation(fetchEvent(ORIGIN + "/?year=2017&lang=fr", {mode: "navigate"}));
  assert.equal(other.status, 503);
  // The same year in English: its answer is kept, but no English page (stand-in or seen) was saved.
  await sandbox.saveAnswer(sandbox.pageKey(ORIGIN + "/answers/v1?year=2018&lang=en"), answerOf("?year=2018&lang=en", "en", 2018));
  const english = await sandbox.navigation(fetchEvent(ORIGIN + "/?year=2018&lang=en", {mode: "navigate"}));
  assert.equal(english.status, 503);
  // The 2018 answer is filed under its own address only: the address of 2019 still opens its own page.
  const own = await sandbox.navigation(fetchEvent(ORIGIN + "/?year=2019&lang=fr", {mode: "navigate"}));
  assert.match(await own.text(), /page-2019/);
});

test("the stand-in page is never the last page saved, and not one of the bounded pages", async () => {
  const {sandbox, caches} = await keptOffline();
  for (const year of [2014, 2015, 2016]) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await sandbox.savePage(ORIGIN + `/?year=${year}&lang=fr`, page(`p${year}`, "v1", "fr"), "seen");
  }
  const kept = (await (await caches.open("dashboard-pages-v1-v1")).keys()).map((r) => r.url);
  assert.ok(kept.includes(ORIGIN + "/offline-page?lang=fr"));
  assert.deepEqual(kept.filter((u) => /\/\?/.test(u)).sort(), [ORIGIN + "/?lang=fr&year=2015", ORIGIN + "/?lang=fr&year=2016"]);
  const start = await sandbox.navigation(fetchEvent(ORIGIN + "/?lang=fr", {mode: "navigate"}));
  assert.equal(start.headers.get("Location"), ORIGIN + "/?year=2016&lang=fr");
});

test("offline, a saved page without its layout never gets another page's layout", async () => {
  const {sandbox, caches} = await keptOffline();
  await sandbox.savePage(ORIGIN + "/?year=2017&lang=fr", page("page-2017", "v1", "fr"), "seen");
  const event = fetchEvent(ORIGIN + "/?year=2017&lang=fr", {mode: "navigate"});
  assert.match(await (await sandbox.navigation(event)).text(), /page-2017/);
  const layout = fetchEvent(ORIGIN + "/_dash-layout", {referrer: ORIGIN + "/?year=2017&lang=fr"});
  layout.clientId = event.resultingClientId;
  assert.equal((await sandbox.layout(layout)).type, "error");
  assert.ok(await (await caches.open("dashboard-pages-v1-v1")).match(sandbox.layoutKey(ORIGIN + "/?year=2019&lang=fr")));
});

test("an answer the server says not to keep (a page of other code told to move whole) is never kept", async () => {
  const {sandbox, caches} = await keptOffline();
  const address = ORIGIN + "/answers/oldcode/v1?year=2017&lang=fr";
  const told = new Response(JSON.stringify({error: "other code", version: "v1+newcode"}), {
    headers: {"Content-Type": "application/json", "X-Data-Version": "v1", "Cache-Control": "no-store"},
  });
  await sandbox.saveAnswer(sandbox.pageKey(address), told);
  assert.equal(await (await caches.open("dashboard-pages-v1-v1")).match(sandbox.pageKey(address)), undefined);
  await sandbox.saveAnswer(sandbox.pageKey(address), answerOf("?year=2017&lang=fr", "fr", 2017));
  assert.ok(await (await caches.open("dashboard-pages-v1-v1")).match(sandbox.pageKey(address)));
});
