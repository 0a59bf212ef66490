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
    });
    return { code: result.code };
  },
};
