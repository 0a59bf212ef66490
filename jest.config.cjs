/** Jest runs the TypeScript sources through esbuild; `obsidian` is the mock in tests/__mocks__. */
module.exports = {
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "\\.ts$": "<rootDir>/tests/support/esbuildTransform.cjs" },
  moduleNameMapper: {
    "^obsidian$": "<rootDir>/tests/__mocks__/obsidian.ts",
    "^sidecar:bundle$": "<rootDir>/tests/support/sidecarBundle.ts",
  },
  testEnvironment: "node",
  testEnvironmentOptions: { customExportConditions: ["node", "require", "default"] },
  setupFiles: ["<rootDir>/tests/support/jsdomSetup.ts"],
  setupFilesAfterEnv: ["<rootDir>/tests/support/cleanup.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
};
