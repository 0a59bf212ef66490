// Jest transform: TypeScript to CommonJS with esbuild (no type checking here; `tsc --noEmit` does that).
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
      // The tests read the view's render timing, which production builds leave out.
      define: { __RENDER_STATS__: "true" },
      // A lazy `await import("pkg")` becomes a require in a promise, as esbuild's bundles (main.js) make it.
      supported: { "dynamic-import": false },
    });
    return { code: result.code };
  },
};
