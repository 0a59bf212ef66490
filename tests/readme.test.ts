// The README's promises that code can check: the Disclosures section names every place the plugin
// writes outside the vault, and the license file matches package.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { privateDirCandidates } from "../src/sidecar/findPrivateDir";

const ROOT = join(__dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const disclosures = /\n## Disclosures\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";

test("the README has a Disclosures section on network use, the local process and files outside the vault", () => {
  expect(disclosures).toMatch(/\*\*Network use\.\*\*/);
  expect(disclosures).toMatch(/no telemetry/);
  expect(disclosures).toMatch(/\*\*A local process\.\*\*/);
  expect(disclosures).toMatch(/\*\*Files outside the vault\.\*\*/);
});

test.each([
  ["linux with XDG_RUNTIME_DIR", { platform: "linux", env: { XDG_RUNTIME_DIR: "/run/user/1" }, home: "/h" }],
  ["linux with XDG_CACHE_HOME", { platform: "linux", env: { XDG_CACHE_HOME: "/c" }, home: "/h" }],
  ["linux", { platform: "linux", env: {}, home: "/h" }],
  ["macOS", { platform: "darwin", env: {}, home: "/h" }],
  ["Windows", { platform: "win32", env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, home: "C:\\Users\\u" }],
])("the Disclosures section names every folder the sidecar may be written to on %s", (_name, facts) => {
  const candidates = privateDirCandidates(facts as Parameters<typeof privateDirCandidates>[0]);
  expect(candidates.length).toBeGreaterThan(0);
  for (const c of candidates) expect(disclosures).toContain(`\`${c.documented}\``);
  expect(disclosures).toContain("`.obsidian/plugins/grpc-callouts/`");
});

test("LICENSE is the MIT license that package.json names", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { license: string };
  expect(pkg.license).toBe("MIT");
  expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
});
