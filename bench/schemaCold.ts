/** B9's cold run, in a fresh process: loads a .proto file and its imports once and prints "<ms> <files>". */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadProtoFiles } from "../src/schema/proto/loadProtoFiles";
import { builtinRegistry } from "../src/schema/builtinRegistry";

async function main(): Promise<void> {
  const [root = "", file = ""] = process.argv.slice(2);
  const t0 = performance.now();
  const loaded = await loadProtoFiles(file, [""], { read: async (p) => readFileSync(join(root, p), "utf8"), exists: (p) => existsSync(join(root, p)), builtin: (n) => builtinRegistry().getFile(n)?.proto });
  const ms = performance.now() - t0;
  process.stdout.write(`${ms.toFixed(2)} ${[...loaded.registry.files].length}\n`);
}
void main();
