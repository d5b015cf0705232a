/* The decision aid's Python, in a dedicated module worker.

   Pyodide takes a couple of seconds of CPU to compile and start; run on the page's own thread it
   would hold up the questions, which are plain HTML and need no Python. So next.html starts this
   worker from the top of its <head>, before anything else is fetched, and the page asks it for
   answers by postMessage (see wizard.js, startEngine). Everything comes from this site: the Pyodide
   runtime in assets/pyodide/ and the engine wheel beside bundle.json in assets/wizard/ (written by
   generator/views/bundle.py); no package index, micropip or CDN is ever asked.

   Messages in:  {id}                                   -> {id, ready: true, timings} once Python is ready
                 {id, screen: {answers, ask, context}}  -> {id, result: "<core/screens.py's screen as JSON>"}
                 (answers: the URL's, as strings; context: {lang, today, stamp, url}, the page's own)
   Either may instead get {id, failed: "..."} (the engine could not start: say so, link the guidance)
   or {id, error: "..."} (this one screen raised: show the problem).
*/

// Run inside Pyodide once the wheel is installed; tests/parity runs this very text (between the
// backticks) under Node, and CPython runs it too, so the three agree on what the page computes.
const PY_GLUE = `
import json
from generator.core import model, screens
from generator.core.engine import advise_json

_bundle = json.loads(wizard_bundle_json)
_protocols = {pid: model.from_dict(data) for pid, data in _bundle["protocols"].items()}


def wizard_screen(answers_json, ask, context_json):
    view = screens.screen(_protocols, _bundle, json.loads(answers_json), ask or None, json.loads(context_json))
    return json.dumps(view, sort_keys=True)


def wizard_answer(protocol_id, answers_json):
    protocol = _bundle["protocols"][protocol_id]
    holidays = _bundle["holidays"][protocol["partnership"]["nation"]]
    result = advise_json(protocol, json.loads(answers_json), holidays,
                         _bundle["first_year"], _bundle["last_year"])
    return json.dumps(result, sort_keys=True)
`;

// bundle.json's parts only the page reads (its first screens, drawn before Python starts): two thirds of
// the file, which Python need not parse on the way to the first answer. tests/parity strips the same.
const PAGE_ONLY = ["flow", "questions"];

const pyodideUrl = new URL("pyodide/", import.meta.url);
const timings = { worker_start: performance.timeOrigin + performance.now() };  // epoch ms, for the benchmark
const bundleUrl = new URL("wizard/bundle.json", import.meta.url);
const checksumsUrl = new URL("wizard/checksums.json", import.meta.url);
// The page passes the content addresses of the bundle and its checksums (generator/views/offline.py), so
// that this worker is only ever given the data of the page's own build, by the service worker or the network.
for (const [url, key] of [[bundleUrl, "bundle"], [checksumsUrl, "checksums"]]) {
  const version = new URL(import.meta.url).searchParams.get(key);
  if (version) url.search = `?v=${version}`;
}

// Python's memory with the engine imported and the bundle read (PY_GLUE run), saved once per build in
// Cache Storage: a revisit restores it instead of starting Python and importing the engine again.
// Its cache is named by the content address of everything in that memory (generator/views/offline.py:
// this worker's text, the bundle, the checksums that pin the wheel, and Pyodide), so a snapshot of one
// build is never restored by another; sw.js deletes every other build's snapshot when it activates,
// and this worker deletes a snapshot that does not restore (and then starts Python afresh).
const SNAPSHOT_PREFIX = "eg-engine-";
const snapshotKey = new URL(import.meta.url).searchParams.get("engine");
const snapshotCache = snapshotKey && /^[0-9a-f]{16}$/.test(snapshotKey) && self.caches ? SNAPSHOT_PREFIX + snapshotKey : null;
const snapshotUrl = new URL("wizard/engine.snapshot", import.meta.url).href;
const SNAPSHOT_IDLE_MS = 1000;

// A failure nobody awaits during start-up is the engine failing to start. Pyodide 314 does not even
// reject when its WebAssembly cannot be fetched or compiled: it only warns "wasm instantiation
// failed!" and never settles, which would leave the page waiting for ever; that warning fails too.
const startupFailure = new Promise((resolve, reject) => {
  self.addEventListener("unhandledrejection", (event) => reject(event.reason));
  self.addEventListener("error", (event) => reject(event.error || new Error(event.message)));
  const warn = console.warn;
  console.warn = (...args) => {
    if (args[0] === "wasm instantiation failed!") {
      reject(failure("error.data_missing", new URL("pyodide.asm.wasm", pyodideUrl)));
    }
    warn.apply(console, args);
  };
});
const engine = Promise.race([start(), startupFailure]);
engine.catch(() => {});  // reported to the page in reply to its first message

async function start() {
  // (Without WebAssembly the page never starts this worker: wizard-start.js and wizard.js check first.)
  const pyodideModule = import(new URL("pyodide.mjs", pyodideUrl).href);
  let restored = false;
  const runtime = Promise.all([pyodideModule, savedSnapshot()]).then(async ([module, saved]) => {
    if (saved) {
      const bytes = snapshotBytes(saved);
      bytes.catch(() => {});  // a bad snapshot is not a failure to start: Python starts afresh below
      try {
        const py = await module.loadPyodide({ indexURL: pyodideUrl.href, _loadSnapshot: bytes });
        restored = true;
        return py;
      } catch (error) {
        console.warn("The engine's saved memory could not be restored; starting Python afresh:", messageOf(error));
        caches.delete(snapshotCache).catch(() => {});  // and start afresh, saving a new one
      }
    }
    return module.loadPyodide({ indexURL: pyodideUrl.href, _makeSnapshot: Boolean(snapshotCache) });
  });
  runtime.catch(() => {});
  // Both files are checked against the sums written when the site was built (generator/views/bundle.py):
  // a damaged file gets a plain message, never a half-read bundle or a Python traceback.
  const sums = fetchOk(checksumsUrl).then((response) => response.json());
  const bundleBytes = fetchOk(bundleUrl).then((response) => response.arrayBuffer());
  const bundleText = Promise.all([sums, bundleBytes]).then(async ([known, bytes]) => {
    await verify(bytes, known["bundle.json"], bundleUrl);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  });
  const bundleData = bundleText.then((text) => JSON.parse(text));
  const wheel = Promise.all([sums, bundleData]).then(async ([known, data]) => {
    const url = new URL(`${data.wheel}?v=${data.wheel_sha256.slice(0, 16)}`, bundleUrl);
    const bytes = await fetchOk(url).then((response) => response.arrayBuffer());
    await verify(bytes, known[data.wheel], url);
    return bytes;
  });
  wheel.catch(() => {});
  const [py, wheelBytes, data] = await Promise.all([runtime, wheel, bundleData]);
  timings.pyodide_ready = performance.timeOrigin + performance.now();
  // The wheel's files live outside Python's memory, so a restored snapshot needs them too (a catalogue
  // is read when a language is first asked for).
  py.unpackArchive(wheelBytes, "wheel");
  if (restored) {
    timings.snapshot_restored = timings.pyodide_ready;
    performance.mark("wz-snapshot-restored");  // on the worker's own timeline too, for tests
  } else {
    const engineData = Object.fromEntries(Object.entries(data).filter(([key]) => !PAGE_ONLY.includes(key)));
    py.globals.set("wizard_bundle_json", JSON.stringify(engineData));
    py.runPython(PY_GLUE);
    if (snapshotCache) saveSnapshotWhenIdle(py);
  }
  return { screen: py.globals.get("wizard_screen") };
}

async function savedSnapshot() {
  if (!snapshotCache) return null;
  try {
    const response = await (await caches.open(snapshotCache)).match(snapshotUrl);
    return response && response.headers.get("X-Engine") === snapshotKey ? response : null;
  } catch (error) {
    return null;
  }
}

// Pyodide checks the snapshot's own header (magic number, Pyodide build) as it restores it; a snapshot
// shorter than the memory it describes would instead fail as WebAssembly, so its length must match too.
async function snapshotBytes(response) {
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength !== Number(response.headers.get("X-Engine-Bytes"))) throw new Error("snapshot cut short");
  return bytes;
}

// Copying Python's memory (about 30 MB) takes a tenth of a second: never while an answer is wanted, only
// once no message has come for a moment. The memory then also holds what the answers given so far
// left behind (a catalogue read, say): the engine's functions are pure, so any answer is the same.
function saveSnapshotWhenIdle(py) {
  let timer = null;
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      self.removeEventListener("message", wait);
      saveSnapshot(py);
    }, SNAPSHOT_IDLE_MS);
  };
  self.addEventListener("message", wait);
  wait();
}

function saveSnapshot(py) {
  let bytes;
  try {
    bytes = py.makeMemorySnapshot();
  } catch (error) {
    console.warn("The engine's memory could not be saved for the next visit:", messageOf(error));
    return;  // no snapshot: every visit starts Python afresh, as without Cache Storage
  }
  const headers = { "Content-Type": "application/octet-stream", "X-Engine": snapshotKey,
                    "X-Engine-Bytes": String(bytes.byteLength) };
  caches.open(snapshotCache).then((cache) => cache.put(snapshotUrl, new Response(bytes, { headers })))
    .then(async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SNAPSHOT_PREFIX) && name !== snapshotCache) await caches.delete(name);
      }
    }).catch((error) => console.warn("The engine's memory could not be saved for the next visit:", messageOf(error)));
}

async function verify(bytes, expected, url) {
  if (!self.crypto || !self.crypto.subtle) return;  // only where the page is not a secure context (plain http)
  const digest = new Uint8Array(await self.crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  if (hex !== expected) {
    throw failure("error.data_damaged", url);
  }
}

async function fetchOk(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    response = null;
  }
  if (!response || !response.ok) throw failure("error.data_missing", url);
  return response;
}

// The page words a failure in its own language: the worker names the catalogue id and the file only.
function failure(code, url) {
  const error = new Error(`${code}: ${url.pathname}`);
  error.code = code;
  error.path = url.pathname;
  return error;
}

self.addEventListener("message", async (event) => {
  const { id, screen } = event.data;
  let python;
  try {
    python = await engine;
  } catch (error) {
    self.postMessage({ id, failed: error && error.code ? { code: error.code, path: error.path } : messageOf(error) });
    return;
  }
  if (screen === undefined) {
    self.postMessage({ id, ready: true, timings });
    return;
  }
  try {
    const result = python.screen(JSON.stringify(screen.answers), screen.ask || "", JSON.stringify(screen.context));
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: messageOf(error) });
  }
});

function messageOf(error) {
  return error && error.message ? error.message : String(error);
}
