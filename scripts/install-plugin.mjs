// npm run install-plugin -- <vault folder>: builds the plugin and copies the three
// release files into <vault>/<config dir>/plugins/grpc-callouts/.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const vault = process.argv[2];
const configDir = process.argv[3] ?? ".obsidian";
if (vault === undefined || !existsSync(vault) || !statSync(vault).isDirectory()) {
  console.error("Usage: npm run install-plugin -- <vault folder> [config folder, default .obsidian]");
  process.exit(2);
}
execFileSync(process.execPath, ["esbuild.config.mjs", "production"], { stdio: "inherit" });
const target = join(resolve(vault), configDir, "plugins", "grpc-callouts");
mkdirSync(target, { recursive: true });
for (const f of ["main.js", "manifest.json", "styles.css"]) copyFileSync(f, join(target, f));
console.log(`Installed gRPC Callouts into ${target}. Enable it in Settings → Community plugins.`);
