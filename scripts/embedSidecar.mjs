// esbuild plugin shared by the build, the benchmarks and the browser check:
// `import { SIDECAR_SOURCE, SIDECAR_HASH } from "sidecar:bundle"` gives the built sidecar (a function that
// returns its text) and its hash. The text is embedded Brotli-compressed, as base64: about 108 KB in main.js
// instead of 368 KB, unpacked (with node:zlib, which Obsidian's desktop runtime has) only when the sidecar
// file has to be written.
import { createHash } from "node:crypto";
import { brotliCompressSync, constants } from "node:zlib";

/** The plugin, for the sidecar program `source`. */
export function embedSidecar(source) {
  const hash = createHash("sha256").update(source).digest("hex");
  return {
    name: "embed-sidecar",
    setup(build) {
      build.onResolve({ filter: /^sidecar:bundle$/ }, () => ({ path: "sidecar-bundle", namespace: "sidecar" }));
      const packed = brotliCompressSync(Buffer.from(source, "utf8"), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).toString("base64");
      build.onLoad({ filter: /.*/, namespace: "sidecar" }, () => ({
        contents: [
          'import { Buffer } from "node:buffer";',
          'import { brotliDecompressSync } from "node:zlib";',
          `const PACKED = ${JSON.stringify(packed)};`,
          "let text;",
          'export const SIDECAR_SOURCE = () => (text ??= brotliDecompressSync(Buffer.from(PACKED, "base64")).toString("utf8"));',
          `export const SIDECAR_HASH = ${JSON.stringify(hash)};`,
          "",
        ].join("\n"),
        loader: "js",
      }));
    },
  };
}
