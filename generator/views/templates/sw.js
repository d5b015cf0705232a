/* The Escalation Guide's service worker, written by generator/views/offline.py for one build.

   Why: practitioners use the decision aid where the signal drops. After one visit the wizard's page,
   its engine, Pyodide and the protocol data come from this worker's precache, and every guidance page
   a reader opened is kept, so both work with no network.

   One build's files never mix with another's. Workbox precaches the build's manifest (each file with
   the hash of its bytes); the wizard's page asks for its script, worker, bundle and engine wheel by
   content-addressed URLs (?v=<sha-256 prefix>), so a page from one build can only ever be given that
   build's files: from the precache, or from the network after checking the bytes hash to the ?v= it
   asked for (a mismatch is refused, never served). Pages are network-first while online, so a new build
   is seen on the next visit with a network; this worker then replaces the old one at once (skipWaiting)
   and Workbox deletes the old build's precached files. Workbox comes from the npm packages, copied into
   assets/workbox/ (never a CDN). */

// Workbox's production modules, each adding itself to self.workbox (core first: the others use it).
importScripts(__WORKBOX_SCRIPTS__);
const { core, precaching, routing } = self.workbox;

const BUILD = "__BUILD__";
// The site's shell: pages' styles and scripts, the offline page. Always precached. Other pages (the home
// page too) are kept once a reader opens them.
const SHELL = __SHELL__;
// The decision aid: its page, Pyodide, the engine wheel, the bundle. Precached only by the worker the
// wizard page registers (sw.js?wizard=1), so that reading guidance never downloads Pyodide.
const WIZARD = __WIZARD__;
const WITH_WIZARD = new URL(self.location.href).searchParams.get("wizard") === "1";
// The wizard worker's saved Python memory (wizard-worker.js) is kept only for this build's engine key.
const ENGINE_CACHE = "eg-engine-__ENGINE__";
const PAGE_CACHE_PREFIX = "eg-pages-";
const PAGE_CACHE = PAGE_CACHE_PREFIX + BUILD;
const OFFLINE_PAGE = "offline/";
const NETWORK_TIMEOUT_MS = 5000;
const scope = new URL(self.registration.scope);

core.setCacheNameDetails({ prefix: "eg" });
self.skipWaiting();
core.clientsClaim();
// Pyodide (13.5 MB) is precached from the copy the reader's visit has just put in the HTTP cache, not
// downloaded a second time: Workbox asks for a revised file with cache: "reload"; for Pyodide's files it
// asks with "no-cache", so the server confirms the browser's copy (304, a few bytes) or sends its bytes.
// Either way the bytes must hash to the revision this build lists (the first 16 hex digits of their
// sha-256), or they are asked for again past every cache; bytes of any other build are never precached:
// the install fails and the next visit tries again (decision 014). Only Pyodide's own files, which no
// host rewrites: a page's bytes may differ on a host that adds to its HTML.
const PYODIDE_PREFIX = new URL("assets/pyodide/", self.location.href).href;
const PYODIDE_REVISIONS = new Map(WIZARD.filter((entry) => entry.revision)
  .map((entry) => [new URL(entry.url, self.location.href).href, entry.revision])
  .filter(([url]) => url.startsWith(PYODIDE_PREFIX)));

async function revisionOf(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

precaching.addPlugins([{
  requestWillFetch: async ({ request }) => (PYODIDE_REVISIONS.has(request.url) && request.cache === "reload"
    ? new Request(request, { cache: "no-cache" }) : request),
  fetchDidSucceed: async ({ request, response }) => {
    const revision = PYODIDE_REVISIONS.get(request.url);
    if (!revision || !response.ok || await revisionOf(response) === revision) return response;
    const again = await fetch(request, { cache: "reload" });
    if (again.ok && await revisionOf(again) === revision) return again;
    return new Response(`${new URL(request.url).pathname} on the server is not this build's.`,
      { status: 409, statusText: "Conflict", headers: { "Content-Type": "text/plain; charset=utf-8" } });
  },
}]);
precaching.precache(WITH_WIZARD ? SHELL.concat(WIZARD) : SHELL);

// Navigations: the network first (a new build is seen at once), then this build's copy.
routing.registerRoute(({ request }) => request.mode === "navigate", async ({ request }) => {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;  // answers live in the query; the page is the same
  const precached = precaching.getCacheKeyForURL(key);
  try {
    // Revalidated with the server (a 304 costs a few bytes): a page the HTTP cache still holds as fresh
    // may be the old build's, and a new build must be seen on the first visit with a network.
    const response = await withTimeout(fetch(new Request(request, { cache: "no-cache" })), NETWORK_TIMEOUT_MS);
    if (response.ok && !precached && response.type === "basic") {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const saved = (precached && await precaching.matchPrecache(key))
      || await (await caches.open(PAGE_CACHE)).match(key);
    return saved || offlinePage();
  }
});

precaching.addRoute({ directoryIndex: "index.html" });

// A content-addressed file this build did not precache (a page from a newer build, before this worker
// is replaced): fetched, and served only if its bytes are the ones the page asked for.
routing.registerRoute(({ url }) => url.origin === scope.origin && /^[0-9a-f]{16}$/.test(url.searchParams.get("v") || ""),
  async ({ request, url }) => {
    const response = await fetch(request);
    if (!response.ok) return response;
    const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (hex.startsWith(url.searchParams.get("v"))) return response;
    return new Response(`${url.pathname} on the server is from another build of the site than the page that asked for it.`,
      { status: 409, statusText: "Conflict", headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });

// The search index: asked for only once a reader searches (assets/search-on-demand.js), not precached
// (it outweighs a page); the network first, then the copy kept from the last search, for offline use.
const SEARCH_INDEX = new URL("search/search_index.json", scope).href;
routing.registerRoute(({ url }) => url.origin + url.pathname === SEARCH_INDEX, async ({ request }) => {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (response.ok) await cache.put(SEARCH_INDEX, response.clone());
    return response;
  } catch (error) {
    return (await cache.match(SEARCH_INDEX)) || Response.error();
  }
});

// The pages a reader opened under the previous build are fetched again for this one (old copies are
// kept only if the network fails), then the old build's page cache is deleted.
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((name) => name.startsWith(PAGE_CACHE_PREFIX) && name !== PAGE_CACHE);
    const cache = await caches.open(PAGE_CACHE);
    for (const name of old) {
      const previous = await caches.open(name);
      for (const request of await previous.keys()) {
        let response = null;
        try {
          response = await fetch(request.url, { cache: "no-cache" });
        } catch (error) {
          response = null;
        }
        await cache.put(request.url, response && response.ok ? response : await previous.match(request));
      }
      await caches.delete(name);
    }
    for (const name of await caches.keys()) {
      if (name.startsWith("eg-engine-") && name !== ENGINE_CACHE) await caches.delete(name);
    }
  })());
});

async function offlinePage() {
  const page = await precaching.matchPrecache(new URL(OFFLINE_PAGE, scope).href);
  if (!page) return Response.error();
  // Served in place of another address: its relative links must still resolve from offline/.
  const text = (await page.text()).replace("<head>", `<head><base href="${new URL(OFFLINE_PAGE, scope).href}">`);
  return new Response(text, { status: 503, statusText: "Offline", headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); });
  });
}
