// Lint: eslint-plugin-obsidianmd's recommended rules (which include eslint's and
// typescript-eslint's type-checked recommended rules) over everything we ship.
import { defineConfig } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";
import { DEFAULT_BRANDS } from "eslint-plugin-obsidianmd/dist/lib/rules/ui/brands.js";

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
  {
    // Outside src/obsidian the code is not DOM code, and the sidecar, the terminal
    // runner and the tests also run under plain Node: the rules about Node modules,
    // popout windows and the DOM do not apply there. The plugin is desktop-only.
    files: ["src/core/**", "src/grpc/**", "src/sidecar/**", "src/cli/**", "tests/**", "bench/**"],
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
    },
  },
]);
