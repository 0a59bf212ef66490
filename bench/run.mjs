// npm run bench [-- --check]: builds, bundles bench/bench.ts (with the mock Obsidian host
// and jsdom, as the tests use them) and runs it with --expose-gc.
// npm run bench:profile: the same for bench/profileFlood.ts, with grpc-js and protobuf-es
// left as packages so that the profile can tell their time from ours.
import { execFileSync, spawnSync } from "node:child_process";
import esbuild from "esbuild";
import { bundleScript } from "../scripts/bundleScript.mjs";

execFileSync(process.execPath, ["esbuild.config.mjs", "production"], { stdio: "inherit" });
const profile = process.argv[2] === "profile";
// B9's cold schema load runs in fresh processes of its own.
await esbuild.build({ entryPoints: ["bench/schemaCold.ts"], outfile: "bench/.out/schemaCold.cjs", bundle: true, platform: "node", target: "node20", logLevel: "error" });
// The page for B3 in Chromium: the transcript view, bundled for the browser.
await esbuild.build({
  entryPoints: ["bench/chromiumFlood.ts"],
  outfile: "bench/.out/chromiumFlood.js",
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "es2022",
  logLevel: "warning",
  // The benchmarks read the view's render timing, which production builds leave out.
  define: { __RENDER_STATS__: "true" },
  alias: { obsidian: "./scripts/browser-check/obsidianShim.ts" },
});
const outfile = profile ? "bench/.out/profile.cjs" : "bench/.out/bench.cjs";
// The benchmarks read the view's render timing, which production builds leave out.
await bundleScript({
  entry: profile ? "bench/profileFlood.ts" : "bench/bench.ts",
  outfile,
  obsidian: "./tests/__mocks__/obsidian.ts",
  renderStats: true,
  external: profile ? ["jsdom", "playwright-core", "@grpc/grpc-js", "@bufbuild/protobuf"] : ["jsdom", "playwright-core"],
});
const r = spawnSync(process.execPath, ["--expose-gc", outfile, ...process.argv.slice(profile ? 3 : 2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
