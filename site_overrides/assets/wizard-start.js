/* Starts the decision aid's engine worker first thing (next.html loads this at the top of <head>): it
   downloads and starts Pyodide off the page's thread, so the questions stay usable at once and the
   first answer waits on Python as little as possible. A file, not an inline script, so the site's
   Content-Security-Policy allows no inline script. Without WebAssembly or Workers, or from a saved
   file, the worker is not started and wizard.js says what to do instead. */
(function () {
  var url = document.currentScript.dataset.worker;
  if (typeof WebAssembly === "object" && typeof Worker === "function" && location.protocol !== "file:") {
    try {
      window.wizardWorker = new Worker(url, { type: "module" });
      window.wizardWorker.onerror = function () { window.wizardWorker.wizardFailed = true; };
    } catch (error) { window.wizardWorker = null; }
  }
})();
