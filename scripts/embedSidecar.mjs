// esbuild plugin shared by the build, the benchmarks and the browser check:
// `import { SIDECAR_SOURCE, SIDECAR_HASH } from "sidecar:bundle"` gives the built sidecar and its hash.
import { createHash } from "node:crypto";

/** The plugin, for the sidecar program `source`. */
export function embedSidecar(source) {
  const hash = createHash("sha256").update(source).digest("hex");
  return {
    name: "embed-sidecar",
    setup(build) {
      build.onResolve({ filter: /^sidecar:bundle$/ }, () => ({ path: "sidecar-bundle", namespace: "sidecar" }));
      build.onLoad({ filter: /.*/, namespace: "sidecar" }, () => ({
        contents: `export const SIDECAR_SOURCE = ${JSON.stringify(source)};\nexport const SIDECAR_HASH = ${JSON.stringify(hash)};\n`,
        loader: "js",
      }));
    },
  };
}
