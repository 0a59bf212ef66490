import type { MarkdownPostProcessorContext } from "obsidian";
import { runnableAt, type Runnable } from "../../core/note/findRunnables";

/** The key of the runnable a rendered element shows, from its section's source; null when the section is unknown. */
export function runnableKey(
  runnablesOf: (text: string) => Runnable[],
  ctx: MarkdownPostProcessorContext,
  el: HTMLElement,
  sectionEl: HTMLElement,
  kind: Runnable["kind"],
): string | null {
  const info = ctx.getSectionInfo(el) ?? ctx.getSectionInfo(sectionEl);
  if (info === null) return null;
  const r = runnableAt(runnablesOf(info.text), info.lineStart);
  return r !== undefined && r.kind === kind ? r.key : null;
}
