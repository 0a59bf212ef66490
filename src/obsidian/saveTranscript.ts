import { Notice, TFile, type App } from "obsidian";
import { insertBelow } from "../core/note/insertBelow";
import { toCallout } from "../core/transcript/toCallout";
import type { CallSession } from "./CallSession";

/** Writes a session's finished transcript below its run, as a folded callout, with Vault.process so nothing typed meanwhile is lost. */
export async function saveTranscript(app: App, session: CallSession | null): Promise<boolean> {
  const t = session?.transcript ?? null;
  if (session === null || t === null || t.status === null) {
    new Notice("There is no finished transcript to save yet.");
    return false;
  }
  const file = app.vault.getAbstractFileByPath(session.notePath);
  if (!(file instanceof TFile)) {
    new Notice("The transcript's note is gone.");
    return false;
  }
  let saved = false;
  await app.vault.process(file, (data) => {
    const next = insertBelow(data, session.key, toCallout(t));
    saved = next !== null;
    return next ?? data;
  });
  new Notice(saved ? "Transcript saved into the note." : "Could not find the call in the note any more.");
  return saved;
}
