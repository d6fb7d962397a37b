/* The phone app's service worker: the shell and its files from the cache (the app opens without signal),
   the agenda network-first with the cached copy as fallback. Writes are not touched here: the app keeps
   its own queue in IndexedDB and sends it when the signal returns. */
const CACHE = "m-{{ version }}";
const SHELL = "{{ app }}";
const ASSETS = {{ assets|safe }};
const AGENDA = "/api/v1/mobile/agenda";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...ASSETS])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("m-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

/* The network's answer (kept for next time); the cached copy when there is no network, or when the network
   has not answered within `patience` ms and a copy exists (a basement with one bar). */
async function networkFirst(request, key, patience) {
  const cache = await caches.open(CACHE);
  const fresh = fetch(request).then(async (response) => {
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(key, response.clone());
    }
    return response;
  });
  const cached = await cache.match(key);
  if (!cached) return fresh;
  const slow = new Promise((resolve) => setTimeout(() => resolve(cached), patience));
  return Promise.race([fresh.catch(() => cached), slow]);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(networkFirst(request, SHELL, 4000));
  } else if (url.pathname === AGENDA) {
    event.respondWith(networkFirst(request, AGENDA, 6000));  // one cached copy, whatever position was asked
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
