import type { MetadataEntries } from "../../core/transcript/CallEvent";
import { expectText, statusText } from "../../core/transcript/formatEvent";
import type { Transcript } from "../../core/transcript/Transcript";
import { renderJson } from "./renderJson";

/** Writes a call's outcome into `el`: its expectations, status, duration, error details and hint. */
export function renderStatus(el: HTMLElement, t: Transcript, maxJsonChars: number): void {
  const s = t.status;
  if (s === null) return;
  // Each expectation with ✔ or ✘ and the actual value; they decide the transcript's data-state.
  if (t.expectations !== null) {
    const list = el.createDiv({ cls: "grpc-callouts-expectations" });
    for (const r of t.expectations) {
      list.createDiv({ cls: "grpc-callouts-expect", text: expectText(r), attr: { "data-result": r.pass ? "pass" : "fail" } });
    }
  }
  el.setAttr("data-code", s.codeName);
  el.createSpan({ cls: "grpc-callouts-status-code", text: statusText(s.code, s.message) });
  el.createSpan({ cls: "grpc-callouts-duration", text: ` in ${Math.round(s.at)} ms` });
  if (s.details.length > 0) renderJson(el.createEl("pre", { cls: "grpc-callouts-details" }), s.details, 2, maxJsonChars);
  if (s.hint !== undefined) el.createDiv({ cls: "grpc-callouts-hint", text: s.hint });
}

/** Writes headers or trailers into `el` as a folded list under `title`. */
export function renderMetadata(el: HTMLElement, title: string, md: MetadataEntries): void {
  const details = el.createEl("details", { cls: "grpc-callouts-metadata" });
  details.createEl("summary", { text: `${title} (${md.length})` });
  const list = details.createEl("dl");
  for (const [k, v] of md) {
    list.createEl("dt", { text: k });
    list.createEl("dd", { text: v.length > 2000 ? `${v.slice(0, 2000)}…` : v });
  }
}
