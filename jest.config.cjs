/** Jest runs the TypeScript sources through esbuild; `obsidian` is the mock in tests/__mocks__. */
module.exports = {
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "\\.ts$": "<rootDir>/tests/support/esbuildTransform.cjs" },
  moduleNameMapper: {
    "^obsidian$": "<rootDir>/tests/__mocks__/obsidian.ts",
    "^sidecar:bundle$": "<rootDir>/tests/support/sidecarBundle.ts",
    // Obsidian's require gives a plugin its own CodeMirror 6 packages; a main.js loaded from a test vault gets ours.
    "^@codemirror/(state|view|language)$": "<rootDir>/node_modules/@codemirror/$1",
  },
  testEnvironment: "node",
  testEnvironmentOptions: { customExportConditions: ["node", "require", "default"] },
  setupFiles: ["<rootDir>/tests/support/jsdomSetup.ts"],
  setupFilesAfterEnv: ["<rootDir>/tests/support/cleanup.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
};
