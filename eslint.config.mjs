// ESLint flat config for the JavaScript that ships with the site (the wizard's renderer and its worker)
// and the Node harness of the parity tests. Run by `make lint`, `make test`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["site_overrides/assets/*.js"],
    ignores: ["site_overrides/assets/wizard-worker.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      // Material for MkDocs' own page helpers, used by its start-up scripts (md-*.js).
      globals: { ...globals.browser, __md_get: "writable", __md_set: "writable", __md_hash: "writable",
                 __md_scope: "writable" },
    },
  },
  {
    files: ["site_overrides/assets/wizard-worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.worker } },
  },
  {
    files: ["tests/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
  {
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: "error",
      "no-implicit-globals": "error",
      "prefer-const": "error",
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
];
