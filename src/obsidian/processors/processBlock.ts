import { MarkdownRenderChild, type App, type MarkdownPostProcessorContext } from "obsidian";
import { parseBlock } from "../../core/spec/parseBlock";
import type { CallSpec } from "../../core/spec/CallSpec";
import type { CallSession } from "../CallSession";
import type { RunController } from "../RunController";
import { RunChild } from "../views/RunChild";
import type { SessionStore } from "../SessionStore";
import { discoverInto } from "../views/discoverInto";
import { keepFromEditor } from "../views/keepFromEditor";
import { runnableKey } from "./runnableKey";

/** What the block processor needs of the plugin. */
export interface BlockProcessorHost {
  app: App;
  controller: RunController;
  sessions: SessionStore;
  /** Starts the sidecar in the background, silently. */
  warm(): void;
  /** Starts the sidecar at once (a Run click on a block that calls it). */
  startNow(): void;
}

/**
 * The `grpc` code-block processor: the block's method and target (with the
 * note's frontmatter defaults), a Run button and the transcript; a block with
 * only a target gets "List services" instead.
 */
export function processBlock(host: BlockProcessorHost, source: string, el: HTMLElement, ctx: MarkdownPostProcessorContext): void {
  const { controller } = host;
  const box = el.createDiv({ cls: "grpc-callouts-block" });
  keepFromEditor(box);
  const head = box.createDiv({ cls: "grpc-callouts-block-head" });
  const info = ctx.getSectionInfo(el);
  const defaults = controller.noteContext(ctx.sourcePath).defaults;
  const parsed = parseBlock(source, info === null ? { defaults } : { firstLine: info.lineStart + 2, defaults });
  if (parsed.ok) {
    head.createSpan({ cls: "grpc-callouts-block-method", text: parsed.spec.method });
    head.createSpan({ cls: "grpc-callouts-block-target", text: ` @ ${parsed.spec.target ?? "sidecar"}` });
  } else {
    const e = parsed.error;
    const where = e.location === undefined ? "" : `Line ${e.location.line}, column ${e.location.column}: `;
    head.createDiv({ cls: "grpc-callouts-error", text: `${where}${e.message}${e.hint === undefined ? "" : ` ${e.hint}`}` });
  }
  box.createEl("pre", { cls: "grpc-callouts-block-source", text: source });
  const inCallout = el.closest(".callout") !== null || (info !== null && /^\s*>/.test(info.text.split("\n")[info.lineStart] ?? ""));
  if (inCallout) {
    head.createSpan({ cls: "grpc-callouts-block-note", text: " · runs from the callout's title" });
    return;
  }
  const label = parsed.ok && !parsed.spec.discover ? parsed.spec.method : "grpc block";
  box.setAttr("data-grpc-callouts-label", label);
  const keyOf = (): string =>
    runnableKey((t) => controller.runnablesOf(t, ctx.sourcePath), {
      ctx,
      el,
      target: box,
      kind: "block",
      labelKey: `block:${label}`,
      selector: ".grpc-callouts-block[data-grpc-callouts-label]",
      labelOf: (e) => e.getAttribute("data-grpc-callouts-label") ?? "",
    });
  if (parsed.ok && parsed.spec.discover) {
    renderDiscovery(host, box, head, parsed.spec, ctx, keyOf);
    return;
  }
  const sessionOf = (): CallSession => host.sessions.ensure(ctx.sourcePath, keyOf(), label);
  const child = new RunChild(el, sessionOf, box, (s) => controller.viewOptions(s));
  const button = head.createEl("button", { cls: "grpc-callouts-run", text: "Run", attr: { type: "button", "aria-label": `Run ${label}` } });
  head.prepend(button);
  // A hand on its way to Run a block that calls the sidecar: start it now.
  const callsSidecar = parsed.ok && parsed.spec.target === null;
  if (callsSidecar) for (const type of ["pointerenter", "focus"] as const) child.registerDomEvent(button, type, () => host.warm());
  child.registerDomEvent(button, "click", (evt) => {
    evt.preventDefault();
    evt.stopPropagation();
    if (callsSidecar) host.startNow();
    void controller.runTarget({ notePath: ctx.sourcePath, key: keyOf(), label, pattern: null });
  });
  ctx.addChild(child);
}

/** A target-only block: a button that lists the server's methods, each with "Insert call". */
function renderDiscovery(host: BlockProcessorHost, box: HTMLElement, head: HTMLElement, blockSpec: CallSpec, ctx: MarkdownPostProcessorContext, keyOf: () => string): void {
  head.empty();
  head.createSpan({ cls: "grpc-callouts-block-target", text: blockSpec.target ?? "sidecar" });
  const button = head.createEl("button", { cls: "grpc-callouts-discover", text: "List services", attr: { type: "button" } });
  head.prepend(button);
  const list = box.createDiv({ cls: "grpc-callouts-discovery" });
  const child = new MarkdownRenderChild(box);
  const abort = new AbortController();
  child.register(() => abort.abort());
  child.registerDomEvent(button, "click", (evt) => {
    evt.preventDefault();
    evt.stopPropagation();
    void discoverInto(host, list, { notePath: ctx.sourcePath, key: keyOf(), blockSpec }, abort.signal);
  });
  ctx.addChild(child);
}
