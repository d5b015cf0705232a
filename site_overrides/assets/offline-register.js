/* Registers the site's service worker (sw.js, written by generator/views/offline.py), which keeps the
   pages a reader opens, and the decision aid once opened, working offline. main.html loads this on every
   page (a file, not an inline script: the site's Content-Security-Policy allows none).

   Registered once the page has loaded. The decision aid registers sw.js?wizard=1, which precaches
   Pyodide and the engine too, and only once its engine is ready (the "wz-engine-ready" mark), so that
   the download never competes with the first answer. A guidance page leaves an existing registration
   alone: the browser checks the registered worker for a new build on every visit. */
(function () {
  var script = document.currentScript && document.currentScript.dataset.serviceWorker;
  if (!script || !("serviceWorker" in navigator) || location.protocol === "file:") return;
  window.addEventListener("load", function () {
    var wizard = Boolean(window.wizardWorker);
    var started = false;
    function register() {
      if (started) return;
      started = true;
      navigator.serviceWorker.getRegistration().then(function (registration) {
        var worker = registration && (registration.installing || registration.waiting || registration.active);
        var hasWizard = Boolean(worker) && /[?&]wizard=1/.test(worker.scriptURL);
        if (!registration || (wizard && !hasWizard)) {
          return navigator.serviceWorker.register(wizard ? script + "?wizard=1" : script);
        }
      }).catch(function () {});
    }
    if (!wizard || performance.getEntriesByName("wz-engine-ready").length) return register();
    new PerformanceObserver(function (list) {
      if (list.getEntriesByName("wz-engine-ready").length) register();
    }).observe({ type: "mark" });
    setTimeout(register, 30000);
  });
})();
