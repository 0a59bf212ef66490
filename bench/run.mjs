// npm run bench [-- --check]: builds, bundles bench/bench.ts (with the mock Obsidian host
// and jsdom, as the tests use them) and runs it with --expose-gc.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import esbuild from "esbuild";
import { embedSidecar } from "../scripts/embedSidecar.mjs";

execFileSync(process.execPath, ["esbuild.config.mjs", "production"], { stdio: "inherit" });
const sidecar = readFileSync("dist/sidecar.cjs", "utf8");
await esbuild.build({
  entryPoints: [process.env.BENCH_ENTRY ?? "bench/bench.ts"],
  outfile: "bench/.out/bench.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  alias: { obsidian: "./tests/__mocks__/obsidian.ts" },
  external: ["jsdom"],
  plugins: [embedSidecar(sidecar)],
});
const r = spawnSync(process.execPath, ["--expose-gc", "bench/.out/bench.cjs", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
