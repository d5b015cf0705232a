/* The offline page (docs/offline.md), shown by the service worker in place of a page that is neither
   saved nor reachable: lists the pages this browser has kept, each a link. */
(async () => {
  if (!("caches" in window)) return;
  const saved = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith("eg-")) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      url.searchParams.delete("__WB_REVISION__");
      if (!url.pathname.endsWith("/") || url.pathname.endsWith("/offline/")) continue;
      const text = await (await cache.match(request)).text();
      const title = new DOMParser().parseFromString(text, "text/html").title || url.pathname;
      saved.set(url.href, title);
    }
  }
  if (!saved.size) return;
  const list = document.createElement("ul");
  for (const [href, title] of [...saved].sort((a, b) => a[1].localeCompare(b[1]))) {
    const item = list.appendChild(document.createElement("li"));
    const link = item.appendChild(document.createElement("a"));
    link.href = href;
    link.textContent = title;
  }
  const heading = document.createElement("h2");
  heading.textContent = "Saved on this device";
  document.getElementById("eg-saved").replaceChildren(heading, list);
})();
