// One way to bundle a Node script of ours (the benchmarks, the browser check's runner, the screenshots)
// with the built sidecar embedded and `obsidian` aliased to a stand-in.
import { readFileSync } from "node:fs";
import esbuild from "esbuild";
import { embedSidecar } from "./embedSidecar.mjs";

/**
 * Bundles `entry` to `outfile` (CommonJS for Node 20). `obsidian` is the stand-in module to use;
 * `renderStats` keeps the view's render timing (the benchmarks read it); `external` stays unbundled.
 */
export async function bundleScript({ entry, outfile, obsidian, renderStats = false, external = [] }) {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    define: { __RENDER_STATS__: renderStats ? "true" : "false" },
    alias: { obsidian },
    external,
    plugins: [embedSidecar(readFileSync("dist/sidecar.cjs", "utf8"))],
  });
}
