import { EditorView } from "@codemirror/view";
import type { MarkdownPostProcessorContext } from "obsidian";
import { runnableAt, type Runnable } from "../../core/note/findRunnables";

/** Where a rendered runnable is, for finding its key. */
export interface RenderedRunnable {
  ctx: MarkdownPostProcessorContext;
  /** The element the processor was given, and the callout or block element itself. */
  el: HTMLElement;
  target: HTMLElement;
  kind: Runnable["kind"];
  /** The key its label alone gives, such as "callout:Simple RPC"; the place among same-labelled ones is added. */
  labelKey: string;
  /** Which rendered elements count as runnables of this kind, for the place among them. */
  selector: string;
  /** The label an element of that kind shows. */
  labelOf: (el: HTMLElement) => string;
}

/**
 * The key of the runnable a rendered element shows, so that every rendering
 * of it finds the same session: from the section's source when Obsidian
 * gives section info; in Live Preview, where it does not, from the element's
 * position in the editor; otherwise (embeds, hover previews) from its place
 * among the rendered runnables with the same label ("the second Simple RPC
 * callout"). Two runnables with the same label never share a key.
 */
export function runnableKey(runnablesOf: (text: string) => Runnable[], r: RenderedRunnable): string {
  const info = r.ctx.getSectionInfo(r.target) ?? r.ctx.getSectionInfo(r.el);
  if (info !== null) {
    // A section can hold several runnables (a callout nested in a callout): match them by order.
    const inSection = runnablesOf(info.text).filter((x) => x.kind === r.kind && x.line >= info.lineStart && x.line <= info.lineEnd);
    const rendered = [...(r.el.matches(r.selector) ? [r.el] : []), ...Array.from(r.el.querySelectorAll<HTMLElement>(r.selector))];
    const at = rendered.indexOf(r.target);
    if (at >= 0 && rendered.length === inSection.length) return inSection[at]?.key ?? r.labelKey;
    const found = runnableAt(runnablesOf(info.text), info.lineStart);
    if (found !== undefined && found.kind === r.kind) return found.key;
  }
  const view = r.target.isConnected ? EditorView.findFromDOM(r.target) : null;
  if (view !== null) {
    try {
      const line = view.state.doc.lineAt(view.posAtDOM(r.target)).number - 1;
      const found = runnableAt(runnablesOf(view.state.doc.toString()), line);
      if (found !== undefined && found.kind === r.kind) return found.key;
    } catch {
      // Not in the editor's document after all: fall through to the place among the rendered ones.
    }
  }
  const root = r.target.closest(".markdown-preview-view, .markdown-embed, .popover, .cm-content") ?? r.target.ownerDocument.body;
  const label = r.labelOf(r.target);
  const same = Array.from(root.querySelectorAll<HTMLElement>(r.selector)).filter((e) => r.labelOf(e) === label);
  const n = same.indexOf(r.target) + 1;
  return n > 1 ? `${r.labelKey}#${n}` : r.labelKey;
}
