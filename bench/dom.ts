// A jsdom window as the global DOM, the way Obsidian's renderer has one. Imported first.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true, url: "http://localhost/" });
const w = dom.window as unknown as Window & typeof globalThis;
const g = globalThis as Record<string, unknown>;
for (const k of [
  "window",
  "document",
  "Node",
  "Element",
  "HTMLElement",
  "HTMLButtonElement",
  "HTMLInputElement",
  "HTMLTextAreaElement",
  "HTMLSelectElement",
  "SVGElement",
  "DocumentFragment",
  "Event",
  "MouseEvent",
  "KeyboardEvent",
  "MutationObserver",
  "requestAnimationFrame",
  "cancelAnimationFrame",
  "getComputedStyle",
]) {
  g[k] = (w as unknown as Record<string, unknown>)[k];
}
Object.defineProperty(globalThis, "navigator", { value: w.navigator, configurable: true });
(w.navigator as unknown as Record<string, unknown>)["clipboard"] = { writeText: () => Promise.resolve() };
