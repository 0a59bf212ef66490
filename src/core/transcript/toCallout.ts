import { TRANSCRIPT_CALLOUT } from "../note/transcriptCallout";
import { markdownLines } from "./safeMarkdown";
import { toMarkdown } from "./toMarkdown";
import { mermaidBlock } from "./toMermaid";
import type { Transcript } from "./Transcript";


/** A folded callout holding the transcript as Markdown and its Mermaid sequence diagram, for saving into a note; every line carries the callout's prefix. */
export function toCallout(t: Transcript): string {
  const when = new Date(t.startedAt).toISOString().replace("T", " ").slice(0, 19);
  const status = t.status?.codeName ?? "RUNNING";
  const body = markdownLines(`${toMarkdown(t)}\n\n${mermaidBlock(t)}`).map((l) => (l === "" ? ">" : `> ${l}`));
  return [`> [!${TRANSCRIPT_CALLOUT}]- Transcript: ${status}, ${when} UTC`, ...body].join("\n");
}
