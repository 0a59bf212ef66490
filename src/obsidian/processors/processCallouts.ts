import type { MarkdownPostProcessorContext } from "obsidian";
import { detectPattern } from "../../core/note/detectPattern";
import { linkText } from "../../core/note/linkText";
import type { CallSession } from "../CallSession";
import type { RunController } from "../RunController";
import { RunChild } from "../views/RunChild";
import type { SessionStore } from "../SessionStore";
import { keepFromEditor } from "../views/keepFromEditor";
import type { TranscriptViewOptions } from "../views/TranscriptView";
import { drawMissingDiagrams } from "./drawMissingDiagrams";
import { unfoldCallout } from "./unfoldCallout";
import { runnableKey } from "./runnableKey";

/**
 * The post-processor: a Run button in the title of every callout that names a
 * gRPC pattern or holds a `grpc` block, and the transcript of its session.
 */
export function processCallouts(controller: RunController, sessions: SessionStore, warmth: { warm(): void; startNow(): void }, el: HTMLElement, ctx: MarkdownPostProcessorContext): void {
  const callouts = el.hasClass("callout") ? [el] : Array.from(el.querySelectorAll<HTMLElement>(".callout"));
  for (const callout of callouts) {
    const titleEl = callout.querySelector<HTMLElement>(":scope > .callout-title");
    if (titleEl === null || titleEl.querySelector(":scope > .grpc-callouts-run") !== null) continue;
    const contentEl = callout.querySelector<HTMLElement>(":scope > .callout-content");
    const title = (titleEl.querySelector(".callout-title-inner")?.textContent ?? "").trim();
    const hasBlock = contentEl?.querySelector("code.language-grpc, .grpc-callouts-block") != null;
    const pattern = detectPattern(title);
    if (pattern === null && !hasBlock) continue;
    const label = title || "callout";
    callout.setAttr("data-grpc-callouts-runnable", "callout");
    const keyOf = (): string =>
      runnableKey((t) => controller.runnablesOf(t, ctx.sourcePath), {
        ctx,
        el,
        target: callout,
        kind: "callout",
        labelKey: `callout:${linkText(title) || label}`,
        selector: ".callout[data-grpc-callouts-runnable]",
        labelOf: (e) => (e.querySelector(":scope > .callout-title .callout-title-inner")?.textContent ?? "").trim(),
      });
    const sessionOf = (): CallSession => sessions.ensure(ctx.sourcePath, keyOf(), label);
    const settings = controller.settings;
    const drawn = pattern !== null && settings.drawMissingDiagrams ? drawMissingDiagrams(controller.app, callout, pattern, ctx.sourcePath) : [];
    const replaceDrawn = drawn.length > 0 && settings.liveDiagramReplacesDrawn;
    // Where a drawn diagram stood in for a missing image, the live diagram of the real exchange takes its place.
    const viewOptions = (s: CallSession) => (): TranscriptViewOptions => ({ ...controller.viewOptions(s)(), ...(replaceDrawn ? { view: "diagram" as const } : {}) });
    const child = new RunChild(callout, sessionOf, contentEl ?? callout, viewOptions, () => {
      if (replaceDrawn) for (const d of drawn) d.addClass("grpc-callouts-hidden");
    });
    const button = titleEl.createEl("button", { cls: "grpc-callouts-run", text: "Run", attr: { type: "button", "aria-label": `Run ${label}` } });
    const fold = titleEl.querySelector(":scope > .callout-fold");
    if (fold !== null) titleEl.insertBefore(button, fold);
    // Keep the click from folding the callout or flipping Live Preview to source.
    keepFromEditor(button);
    // A hand on its way to Run: start the sidecar now, so the click finds it ready.
    const callsSidecar = pattern !== null && !hasBlock;
    if (callsSidecar) for (const type of ["pointerenter", "focus"] as const) child.registerDomEvent(button, type, () => warmth.warm());
    child.registerDomEvent(button, "click", (evt) => {
      evt.preventDefault();
      evt.stopPropagation();
      if (callsSidecar) warmth.startNow();
      unfoldCallout(callout);
      void controller.runTarget({ notePath: ctx.sourcePath, key: keyOf(), label, pattern });
    });
    ctx.addChild(child);
  }
}
