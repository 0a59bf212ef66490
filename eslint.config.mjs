// Lint: eslint-plugin-obsidianmd's recommended rules (which include eslint's and
// typescript-eslint's type-checked recommended rules) over everything we ship.
import { defineConfig } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";
import { builtinModules } from "node:module";
import { DEFAULT_BRANDS } from "eslint-plugin-obsidianmd/dist/lib/rules/ui/brands.js";

/** Node's built-in modules by their bare names ("fs", "path", …), which need no "node:" prefix. */
const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith("_"));

// "gRPC" is spelled that way; "cursor" in our text is the text cursor, not the Cursor editor.
const brands = [...DEFAULT_BRANDS.filter((b) => b !== "Cursor"), "gRPC"];

export default defineConfig([
  { ignores: ["node_modules/", "dist/", "main.js", "src/gen/", "coverage/", "docs/", "tests/support/*.cjs", "*.cjs", "*.mjs", "bench/**/*.mjs", "scripts/", "bench/.out/"] },
  ...obsidianmd.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript itself reports undefined names; typescript-eslint advises this off.
      "no-undef": "off",
      "obsidianmd/ui/sentence-case": ["warn", { brands }],
      // minAppVersion is 1.8.7, which predates the declarative settings API (1.13).
      "obsidianmd/settings-tab/prefer-setting-definitions": "off",
    },
  },
  // The layers (see the README's architecture): lint, not habit, keeps them apart.
  {
    // The core is pure: no Obsidian, no gRPC transport, no Node, and no other layer of ours.
    files: ["src/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "obsidian", message: "src/core is pure: only src/obsidian imports obsidian." }],
          patterns: [
            { group: ["@grpc/*", "@connectrpc/*"], message: "src/core is pure: calls live in src/call." },
            { group: ["node:*", ...NODE_BUILTINS], message: "src/core is pure: pass in what it needs (a file reader, a clock)." },
            { group: ["**/obsidian/**", "**/call/**", "**/schema/**", "**/sidecar/**", "**/cli/**", "**/gen/**"], message: "src/core imports no other layer." },
          ],
        },
      ],
    },
  },
  {
    // Only src/obsidian (and the entry point that re-exports it) touches the Obsidian API.
    files: ["src/call/**", "src/schema/**", "src/sidecar/**", "src/cli/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "obsidian", message: "Only src/obsidian imports obsidian." }],
          patterns: [{ group: ["**/obsidian/**"], message: "Only the plugin's entry point imports src/obsidian." }],
        },
      ],
    },
  },
  {
    // Outside src/obsidian the code is not DOM code, and the sidecar, the terminal
    // runner and the tests also run under plain Node: the rules about Node modules,
    // popout windows and the DOM do not apply there. The plugin is desktop-only.
    files: ["src/core/**", "src/call/**", "src/schema/**", "src/sidecar/**", "src/cli/**", "tests/**", "bench/**"],
    rules: {
      "obsidianmd/no-nodejs-modules": "off",
      "obsidianmd/prefer-window-timers": "off",
      "obsidianmd/prefer-active-doc": "off",
      "obsidianmd/no-global-this": "off",
      "import/no-nodejs-modules": "off",
    },
  },
  {
    // The benchmarks are a terminal program: printing is their job, and they build test vaults.
    files: ["bench/**"],
    rules: {
      "no-console": "off",
      "obsidianmd/rule-custom-message": "off",
      "obsidianmd/hardcoded-config-path": "off",
    },
  },
  {
    files: ["tests/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "obsidianmd/prefer-create-el": "off",
      "obsidianmd/prefer-instanceof": "off",
      "obsidianmd/no-static-styles-assignment": "off",
      // The tests build vaults whose config folder is the default one, and hand the mock's TFiles around.
      "obsidianmd/hardcoded-config-path": "off",
      "obsidianmd/no-tfile-tfolder-cast": "off",
      // The tests play the user and Obsidian: they delete notes through the mock vault.
      "obsidianmd/prefer-file-manager-trash-file": "off",
    },
  },
]);
