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
for (const { pattern, transcript } of data) {
  const section = root.createDiv({ cls: "pattern", attr: { "data-pattern": pattern } });
  section.createEl("h2", { text: transcript.label });
  const session = { transcript, running: false, canHalfClose: false, spec: null, subscribe: () => () => undefined, cancel() {}, halfClose() {}, clear() {} } as unknown as CallSession;
  const view = new TranscriptView(section, session, {
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
  const diagram = new DiagramView(section);
  diagram.render(transcript);
}
document.body.setAttribute("data-ready", "yes");
