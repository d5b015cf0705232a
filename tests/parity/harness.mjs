// Runs the wizard's own Python glue inside real Pyodide under Node, with the very files the build
// put in the site: the vendored Pyodide (site/assets/pyodide), the engine wheel and bundle.json.
// The glue and the steps around it (unpack the wheel, set the bundle, run the glue) are those of
// site_overrides/assets/wizard-worker.js, where the page runs them.
// Usage: node harness.mjs <site_dir> <wizard-worker.js> <cases.json>  -> prints a JSON list of results.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [siteDir, workerJs, casesFile] = process.argv.slice(2);
const pyodideDir = path.join(siteDir, "assets", "pyodide") + path.sep;
const wizardDir = path.join(siteDir, "assets", "wizard");
const bundleText = readFileSync(path.join(wizardDir, "bundle.json"), "utf8");
const bundle = JSON.parse(bundleText);
const workerText = readFileSync(workerJs, "utf8");
const glue = workerText.match(/const PY_GLUE = `([\s\S]*?)`;/)[1];
// The worker hands Python the bundle without the parts only the page reads.
const pageOnly = JSON.parse(workerText.match(/const PAGE_ONLY = (\[[^\]]*\]);/)[1]);
const engineText = JSON.stringify(Object.fromEntries(Object.entries(bundle).filter(([key]) => !pageOnly.includes(key))));
const cases = JSON.parse(readFileSync(casesFile, "utf8"));

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir });
py.unpackArchive(new Uint8Array(readFileSync(path.join(wizardDir, bundle.wheel))), "wheel");
py.globals.set("wizard_bundle_json", engineText);
py.runPython(glue);
const answer = py.globals.get("wizard_answer");
const version = py.runPython("import sys; sys.version.split()[0]");
const where = py.runPython("import generator.core.engine as e; e.__file__");
const results = cases.map((c) => JSON.parse(answer(c.protocol, JSON.stringify(c.answers))));
process.stdout.write(JSON.stringify({ python: version, engine_file: where, results }));
