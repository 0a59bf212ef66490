// npm run screenshots, part two (part one is the browser check with --screenshots): bundles
// scripts/screenshots/capture.ts with the mock Obsidian host and runs it. It needs Debian's chromium
// and ImageMagick (apt-get install chromium imagemagick).
import { spawnSync } from "node:child_process";
import { bundleScript } from "./bundleScript.mjs";

const probe = spawnSync("convert", ["-version"], { encoding: "utf8" });
if (probe.status !== 0 || !/ImageMagick/.test(probe.stdout)) {
  process.stderr.write("npm run screenshots needs ImageMagick to make the GIF. Run: sudo apt-get install -y imagemagick\n");
  process.exit(1);
}
await bundleScript({ entry: "scripts/screenshots/capture.ts", outfile: "scripts/.out/capture.cjs", obsidian: "./tests/__mocks__/obsidian.ts", external: ["jsdom", "playwright-core"] });
const r = spawnSync(process.execPath, ["scripts/.out/capture.cjs"], { stdio: "inherit" });
process.exit(r.status ?? 1);
