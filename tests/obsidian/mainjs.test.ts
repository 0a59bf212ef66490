/**
 * @jest-environment jsdom
 */
// The production bundle, installed as a user installs it: the three release files copied
// into a vault's plugin folder, main.js loaded into the mock host, the example note run.
import { copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const ROOT = join(__dirname, "../..");
const EXAMPLE = readFileSync(join(ROOT, "examples/vault/gRPC patterns.md"), "utf8");

test("main.js, with its embedded sidecar, runs the example note's four callouts", async () => {
  const { app, root } = createApp({ "gRPC patterns.md": EXAMPLE });
  const dir = join(root, ".obsidian/plugins/grpc-callouts");
  for (const f of ["main.js", "manifest.json", "styles.css"]) copyFileSync(join(ROOT, f), join(dir, f));
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { id: string; isDesktopOnly: boolean };
  expect(manifest).toMatchObject({ id: "grpc-callouts", isDesktopOnly: true });

  // Obsidian evaluates main.js as CommonJS and takes its default export.
  const mod = require(join(dir, "main.js")) as { default: new (app: never, manifest: never) => object };
  const plugin = await loadPlugin(mod.default, app);
  await app.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ demoCount: 3, demoIntervalMs: 30 }));
  mockOf(plugin).unload();
  const loaded = await loadPlugin(mod.default, app);

  const note = await renderNote(app, loaded, "gRPC patterns.md");
  const callouts = Array.from(note.root.querySelectorAll<HTMLElement>(".callout"));
  expect(callouts).toHaveLength(4);
  for (const c of callouts) c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  const state = (c: HTMLElement) => c.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
  await until(() => callouts.every((c) => state(c) === "done"), 20_000, "all four done");
  const counts = callouts.map((c) => [
    c.querySelectorAll('.grpc-callouts-message[data-direction="sent"]').length,
    c.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length,
    c.querySelector(".grpc-callouts-status")?.getAttribute("data-code"),
  ]);
  expect(counts).toEqual([
    [1, 1, "OK"],
    [1, 3, "OK"],
    [3, 1, "OK"],
    [3, 5, "OK"],
  ]);

  // The sidecar was written into the private per-user folder (not the plugin folder, which vault
  // sync carries), owner-only, and started by the Obsidian runtime.
  expect(existsSync(join(dir, "sidecar.cjs"))).toBe(false);
  const privateDir = join(process.env["XDG_CACHE_HOME"] ?? "", "grpc-callouts");
  expect(statSync(privateDir).mode & 0o777).toBe(0o700);
  const sidecar = join(privateDir, "sidecar.cjs");
  expect(statSync(sidecar).mode & 0o777).toBe(0o600);
  const bundle = readFileSync(join(ROOT, "main.js"), "utf8");
  const hash = createHash("sha256").update(readFileSync(sidecar)).digest("hex");
  expect(bundle).toContain(hash);
  const status = (loaded as { launcher: { status(): { runtime: string } } }).launcher.status();
  expect(status.runtime).toBe("obsidian");

  note.close();
  mockOf(loaded).unload();
  await (loaded as { stopped: Promise<void> }).stopped;
});

test("main.js stays within its size budget and requires only what Obsidian provides (Node builtins, obsidian, electron, @codemirror/*, @lezer/*)", () => {
  const bundle = readFileSync(join(ROOT, "main.js"), "utf8");
  expect(bundle.length).toBeLessThan(0.7 * 1024 * 1024);
  // grpc-js is carried once, inside the embedded (compressed) sidecar program: none of its text is plain in main.js.
  expect(bundle).not.toContain("Channel#createCall");
  expect(bundle).not.toContain("grpc-node-js");
  const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const builtins = new Set(require("node:module").builtinModules as string[]);
  for (const r of required) expect([r, r === "obsidian" || r === "electron" || /^@(codemirror|lezer)\//.test(r ?? "") || builtins.has(r ?? "")]).toEqual([r, true]);
});
