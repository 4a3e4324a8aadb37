// ESLint for the project's own JavaScript: the page's classic scripts (assets/), the service worker
// (dashboard/sw.js) and the Node tests of their rules (tests/js/). One dialect: ES2020, the Chromium of the
// phones we serve. Vendored files are not ours to lint.
import js from "@eslint/js";
import globals from "globals";

const strict = {
  "no-unused-vars": ["error", {args: "none", caughtErrors: "none"}],
  "no-var": "off", // the classic page scripts keep `var` inside their one function scope
  eqeqeq: "error",
  "no-implicit-globals": "error",
  "prefer-const": "error",
};

export default [
  {ignores: ["assets/vendor/**", "node_modules/**", ".venv/**", "**/*.egg-info/**", "data/**"]},
  js.configs.recommended,
  {
    files: ["assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      // `module` only in the guard that lets Node's tests load a page script.
      globals: {...globals.browser, L: "readonly", module: "readonly"},
    },
    rules: strict,
  },
  {
    files: ["dashboard/sw.js"],
    languageOptions: {ecmaVersion: 2020, sourceType: "script", globals: {...globals.serviceworker}},
    // A worker's script has a global scope of its own: its functions live there.
    rules: {...strict, "no-implicit-globals": "off"},
  },
  {
    files: ["eslint.config.mjs"],
    languageOptions: {ecmaVersion: 2022, sourceType: "module"},
  },
  {
    files: ["tests/js/**/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "commonjs", globals: {...globals.node}},
    rules: strict,
  },
];
