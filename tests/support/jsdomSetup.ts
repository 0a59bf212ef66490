// Obsidian's renderer has Node integration: Node's globals exist beside the DOM.
// jest's jsdom environment drops some of them, so give them back, as Electron has them.
import { setImmediate, clearImmediate } from "node:timers";
import { TextDecoder, TextEncoder } from "node:util";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

if (typeof window !== "undefined") {
  const g = globalThis as Record<string, unknown>;
  g["setImmediate"] ??= setImmediate;
  g["clearImmediate"] ??= clearImmediate;
  g["TextEncoder"] ??= TextEncoder;
  g["TextDecoder"] ??= TextDecoder;
  // Electron's clipboard, as navigator.clipboard.
  const copied: string[] = [];
  Object.defineProperty(window.navigator, "clipboard", {
    value: { writeText: (text: string) => { copied.push(text); return Promise.resolve(); }, copied },
    configurable: true,
  });
}

// The plugin and the runner write the sidecar program to a private per-user folder
// ($XDG_RUNTIME_DIR, else the cache folder): point both at a temporary one per test file.
delete process.env["XDG_RUNTIME_DIR"];
process.env["XDG_CACHE_HOME"] = mkdtempSync(join(tmpdir(), "grpc-callouts-cache-"));
