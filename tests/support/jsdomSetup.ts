// Obsidian's renderer has Node integration: Node's globals exist beside the DOM.
// jest's jsdom environment drops some of them, so give them back, as Electron has them.
import { setImmediate, clearImmediate } from "node:timers";
import { TextDecoder, TextEncoder } from "node:util";

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
