// The browser page: renders the four recorded transcripts, as message lists and as diagrams,
// with the plugin's own TranscriptView and DiagramView.
import { installDomHelpers } from "../../tests/support/domHelpers";
import type { Transcript } from "../../src/core/transcript/Transcript";
import type { CallSession } from "../../src/obsidian/CallSession";
import { DiagramView } from "../../src/obsidian/views/DiagramView";
import { TranscriptView } from "../../src/obsidian/views/TranscriptView";
import { toMarkdown } from "../../src/core/transcript/toMarkdown";

installDomHelpers(window);
const data = (window as unknown as { __TRANSCRIPTS__: Array<{ pattern: string; transcript: Transcript }> }).__TRANSCRIPTS__;
const root = document.getElementById("root") as HTMLElement;
// Each transcript sits where the plugin puts it: inside the pattern's callout, as Obsidian renders a
// `> [!summary]` callout (title with the Run button, then the content), on the callout's tint.
for (const { pattern, transcript } of data) {
  const section = root.createDiv({ cls: "pattern", attr: { "data-pattern": pattern } });
  const callout = section.createDiv({ cls: "callout", attr: { "data-callout": "summary" } });
  const title = callout.createDiv({ cls: "callout-title" });
  title.createDiv({ cls: "callout-icon" });
  title.createDiv({ cls: "callout-title-inner", text: transcript.label });
  title.createEl("button", { cls: "grpc-callouts-run", text: "Run", attr: { type: "button" } });
  const content = callout.createDiv({ cls: "callout-content" });
  content.createEl("p", { text: `What ${transcript.label} does, in the note's own words.` });
  const session = { transcript, running: false, canHalfClose: false, spec: null, subscribe: () => () => undefined, cancel() {}, halfClose() {}, clear() {} } as unknown as CallSession;
  const view = new TranscriptView(content, session, {
    showTimestamps: true,
    view: "messages",
    onViewChange: () => undefined,
    compact: false,
    maxJsonChars: 2000,
    onRerun: () => undefined,
    onCopy: () => undefined,
    toMarkdown,
  });
  view.flush();
  const diagram = new DiagramView(content);
  diagram.render(transcript);
}
document.body.setAttribute("data-ready", "yes");
