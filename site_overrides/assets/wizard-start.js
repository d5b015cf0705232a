/* Starts the decision aid's engine worker first thing (next.html loads this at the top of <head>): it
   downloads and starts Pyodide off the page's thread, so the questions stay usable at once and the
   first answer waits on Python as little as possible. A file, not an inline script, so the site's
   Content-Security-Policy allows no inline script. Without WebAssembly or Workers, or from a saved
   file, the worker is not started and wizard.js says what to do instead.

   On a first visit it also asks for Pyodide's scripts, Python library and lock file at once:
   the worker would only ask for them after fetching itself and Pyodide's loader, several round trips
   later, and then finds them in the HTTP cache (decision 014). Not the 9.6 MB WebAssembly: a browser
   may not keep so large a response in its HTTP cache (Chromium's private windows keep nothing that
   big), and the worker would download it again. Not once the decision aid's service worker (sw.js?wizard=1,
   offline-register.js) serves the page: the files are on the device, and asking would read them twice. */
(function () {
  var url = document.currentScript.dataset.worker;
  if (typeof WebAssembly === "object" && typeof Worker === "function" && location.protocol !== "file:") {
    try {
      window.wizardWorker = new Worker(url, { type: "module" });
      window.wizardWorker.onerror = function () { window.wizardWorker.wizardFailed = true; };
    } catch (error) { window.wizardWorker = null; return; }
    var serving = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (serving && /[?&]wizard=1/.test(serving.scriptURL)) return;  // Pyodide is precached: nothing to ask
    var pyodide = new URL("pyodide/", new URL(url, location.href));
    ["pyodide.mjs", "pyodide.asm.mjs", "python_stdlib.zip", "pyodide-lock.json"].forEach(function (name) {
      // Read to the end (so the HTTP cache keeps it whole) and let go: the worker's request takes it from there.
      fetch(new URL(name, pyodide).href).then(function (response) { return response.arrayBuffer(); })
        .catch(function () {});  // the worker asks again, and says so if it fails
    });
  }
})();
