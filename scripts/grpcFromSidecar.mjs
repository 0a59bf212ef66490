// esbuild plugin for main.js: `@grpc/grpc-js` becomes the grpc-js inside the embedded sidecar program,
// so main.js carries it once. Each export is a getter that reads the loaded program
// (src/sidecar/sidecarLibrary.ts): the run host loads it before its first connection (the launcher
// while a spawned sidecar starts), never at load.
import { createRequire } from "node:module";
import { resolve } from "node:path";

/** The plugin; `root` is the repository. */
export function grpcFromSidecar(root) {
  const names = Object.keys(createRequire(import.meta.url)("@grpc/grpc-js")).filter((n) => n !== "__esModule");
  return {
    name: "grpc-from-sidecar",
    setup(build) {
      build.onResolve({ filter: /^@grpc\/grpc-js$/ }, () => ({ path: "grpc-js", namespace: "grpc-from-sidecar" }));
      build.onLoad({ filter: /.*/, namespace: "grpc-from-sidecar" }, () => ({
        resolveDir: root,
        loader: "js",
        contents: [
          'const { SIDECAR_HASH } = require("sidecar:bundle");',
          `const { loadedSidecarLibrary } = require(${JSON.stringify(resolve(root, "src/sidecar/sidecarLibrary.ts"))});`,
          "const grpc = () => loadedSidecarLibrary(SIDECAR_HASH).grpc;",
          `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => grpc()[name] });`,
          "",
        ].join("\n"),
      }));
    },
  };
}
