// The lint configuration enforces the layers: a core file that imports obsidian, grpc-js, Node or
// another layer fails lint, and only src/obsidian may import obsidian.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const ESLINT = join(ROOT, "node_modules/eslint/bin/eslint.js");

/** The no-restricted-imports messages eslint, with the project's configuration, gives `code` in place of the file `filePath` (an existing file, so the type-aware rules find it in the project). */
function restricted(filePath: string, code: string): Promise<string[]> {
  const r = spawnSync(process.execPath, [ESLINT, "--format", "json", "--stdin", "--stdin-filename", filePath], { cwd: ROOT, input: code, encoding: "utf8", timeout: 60_000 });
  const [result] = JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return Promise.resolve((result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message));
}

test.each([
  ["src/core/note/linkText.ts", 'import { Notice } from "obsidian";\nexport const n = Notice;\n', /src\/core is pure: only src\/obsidian imports obsidian/],
  ["src/core/run/runAll.ts", 'import { Client } from "@grpc/grpc-js";\nexport const c = Client;\n', /calls live in src\/call/],
  ["src/core/spec/closest.ts", 'import { readFile } from "node:fs/promises";\nexport const r = readFile;\n', /pass in what it needs/],
  ["src/core/spec/closest.ts", 'import { join } from "path";\nexport const j = join;\n', /pass in what it needs/],
  ["src/core/transcript/toCallout.ts", 'import { startCall } from "../../call/startCall";\nexport const s = startCall;\n', /imports no other layer/],
  ["src/cli/main.ts", 'import { Notice } from "obsidian";\nexport const n = Notice;\n', /Only src\/obsidian imports obsidian/],
  ["src/call/metadata.ts", 'import { RunController } from "../obsidian/RunController";\nexport const r = RunController;\n', /Only the plugin's entry point imports src\/obsidian/],
])("%s with %s fails lint", async (file, code, message) => {
  const messages = await restricted(file, code);
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.join("\n")).toMatch(message);
}, 60_000);

test("the same imports pass where they belong", async () => {
  expect(await restricted("src/obsidian/saveTranscript.ts", 'import { Notice } from "obsidian";\nexport const n = Notice;\n')).toEqual([]);
  expect(await restricted("src/call/metadata.ts", 'import { Client } from "@grpc/grpc-js";\nexport const c = Client;\n')).toEqual([]);
  expect(await restricted("src/core/run/runAll.ts", 'import { parse } from "yaml";\nexport const p = parse;\n')).toEqual([]);
}, 60_000);
