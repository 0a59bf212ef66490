// npm run browser-check: bundles the page (for the browser) and the runner (for Node), then runs it.
// npm run screenshots: the same, and it rewrites the README's screenshots in docs/.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import esbuild from "esbuild";
import { bundleScript } from "./bundleScript.mjs";

if (!existsSync("dist/sidecar.cjs")) spawnSync(process.execPath, ["esbuild.config.mjs", "production"], { stdio: "inherit" });
await esbuild.build({
  entryPoints: ["scripts/browser-check/page.ts"],
  outfile: "scripts/browser-check/.out/page.js",
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "es2022",
  logLevel: "warning",
  define: { __RENDER_STATS__: "false" },
  alias: { obsidian: "./scripts/browser-check/obsidianShim.ts" },
});
await bundleScript({ entry: "scripts/browser-check/run.ts", outfile: "scripts/browser-check/.out/run.cjs", obsidian: "./scripts/browser-check/obsidianShim.ts", external: ["playwright-core"] });
const r = spawnSync(process.execPath, ["scripts/browser-check/.out/run.cjs", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
