import { mermaidBlock } from "../../core/transcript/toMermaid";
import { directionGlyph, formatAt, formatCount, statusText } from "../../core/transcript/formatEvent";
import { progressText } from "../../core/transcript/progressText";
import type { MessageRow, Transcript } from "../../core/transcript/Transcript";
import type { CallSession } from "../CallSession";
import { Composer } from "./Composer";
import { DiagramView } from "./DiagramView";
import { keepFromEditor } from "./keepFromEditor";
import { renderJson } from "./renderJson";
import { renderMetadata, renderStatus } from "./renderOutcome";
import { renderStats } from "./renderStats";
import { RowWindow } from "./RowWindow";

/** Options of a transcript view. */
export interface TranscriptViewOptions {
  showTimestamps: boolean;
  /** Which view a transcript opens in; the toggle changes it and reports it. */
  view: "messages" | "diagram";
  onViewChange: (view: "messages" | "diagram") => void;
  /** Denser rows, messages on one line. */
  compact: boolean;
  /** Characters of a message shown before the "Show all" control. */
  maxJsonChars: number;
  onRerun: () => void;
  onCopy: (markdown: string) => void;
  toMarkdown: (t: Transcript) => string;
  /** Copies the grpcurl command that makes this call, when the front end can write one. */
  onCopyGrpcurl?: () => void;
}

/** Time one flush may spend building rows; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 2;
/** Older rows the flush that ends a call draws whatever the time, so a short call never shows half its rows. */
const MIN_ROWS_PER_FLUSH = 8;
/** A view idle this long renders news at once rather than at the next frame. */
const IDLE_FRAME_MS = 16;
/**
 * Shows a session's transcript live: message rows with direction, relative
 * time and JSON; headers, trailers and final status; and the controls.
 * Changes are rendered at most once per animation frame, and the DOM keeps
 * at most `maxRows` message rows.
 */
export class TranscriptView {
  readonly el: HTMLElement;
  private readonly summaryEl: HTMLElement;
  /** The polite live region: it gets the call's outcome, once. */
  private readonly announceEl: HTMLElement;
  /** While a call runs, the header's elapsed time and rate move on between events. */
  private ticker: number | null = null;
  private readonly chipEl: HTMLElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly halfCloseBtn: HTMLButtonElement;
  private readonly rerunBtn: HTMLButtonElement;
  private readonly toggleBtn: HTMLButtonElement;
  private readonly diagram: DiagramView;
  private view: "messages" | "diagram";
  private readonly headersEl: HTMLElement;
  private listEl: HTMLElement;
  private omittedEl: HTMLElement;
  private readonly trailersEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly composer: Composer;
  private shown: Transcript | null = null;
  /** The toolbar state last rendered, to skip unchanged writes. */
  private shownToolbar = "";
  /** Hidden lists of dropped rows, taken apart a few rows per frame. */
  private readonly retired: HTMLElement[] = [];
  /** Which rows the list shows; the view draws what it says. */
  private readonly window = new RowWindow<MessageRow>(Infinity);
  private frame: number | null = null;
  /** When the view last rendered, and whether a render is due at the end of this task. */
  private flushedAt = -Infinity;
  private soon = false;
  /** How many received messages the last flush showed. */
  private shownReceived = 0;
  private readonly unsubscribe: () => void;

  constructor(
    parent: HTMLElement,
    private readonly session: CallSession,
    private readonly options: TranscriptViewOptions,
  ) {
    this.el = parent.createDiv({ cls: "grpc-callouts-transcript", attr: { "data-state": "running" } });
    keepFromEditor(this.el);
    const bar = this.el.createDiv({ cls: "grpc-callouts-toolbar" });
    this.chipEl = bar.createSpan({ cls: "grpc-callouts-chip" });
    this.summaryEl = bar.createSpan({ cls: "grpc-callouts-summary" });
    // The header is cut to one line: its whole text is the tooltip, fresh when the pointer comes.
    this.summaryEl.addEventListener("pointerenter", () => this.summaryEl.setAttr("aria-label", this.summaryEl.textContent ?? ""));
    this.announceEl = this.el.createDiv({ cls: "grpc-callouts-announce", attr: { "aria-live": "polite", role: "status" } });
    const controls = bar.createDiv({ cls: "grpc-callouts-controls" });
    const button = (text: string, cls: string, onClick: () => void): HTMLButtonElement => {
      const b = controls.createEl("button", { text, cls: `grpc-callouts-control ${cls}`, attr: { type: "button" } });
      b.addEventListener("click", (evt) => {
        evt.preventDefault();
        evt.stopPropagation();
        onClick();
      });
      return b;
    };
    this.cancelBtn = button("Cancel", "grpc-callouts-cancel", () => this.session.cancel());
    this.halfCloseBtn = button("Half-close", "grpc-callouts-half-close", () => this.session.halfClose());
    this.rerunBtn = button("Re-run", "grpc-callouts-rerun", () => this.options.onRerun());
    this.toggleBtn = button("Diagram", "grpc-callouts-toggle-view", () => this.setView(this.view === "diagram" ? "messages" : "diagram", true));
    button("Clear", "grpc-callouts-clear", () => this.session.clear());
    button("Copy as Markdown", "grpc-callouts-copy", () => {
      if (this.session.transcript !== null) this.options.onCopy(this.options.toMarkdown(this.session.transcript));
    });
    button("Copy diagram as Mermaid", "grpc-callouts-copy-mermaid", () => {
      if (this.session.transcript !== null) this.options.onCopy(mermaidBlock(this.session.transcript));
    });
    const copyGrpcurl = this.options.onCopyGrpcurl;
    if (copyGrpcurl !== undefined) button("Copy as grpcurl", "grpc-callouts-copy-grpcurl", () => copyGrpcurl());
    this.headersEl = this.el.createDiv({ cls: "grpc-callouts-headers" });
    this.listEl = this.el.createDiv({ cls: "grpc-callouts-messages" });
    this.omittedEl = this.listEl.createDiv({ cls: "grpc-callouts-omitted" });
    this.diagram = new DiagramView(this.el);
    this.trailersEl = this.el.createDiv({ cls: "grpc-callouts-trailers" });
    this.statusEl = this.el.createDiv({ cls: "grpc-callouts-status" });
    this.composer = new Composer(this.el, (json) => this.session.send(json));
    this.el.toggleClass("is-compact", options.compact);
    this.view = options.view;
    this.setView(options.view, false);
    this.unsubscribe = session.subscribe(() => this.schedule());
    this.flush();
  }

  /** Shows the message list or the diagram; `remember` reports the choice for the settings. */
  setView(view: "messages" | "diagram", remember: boolean): void {
    this.view = view;
    this.el.setAttr("data-view", view);
    this.listEl.toggleClass("grpc-callouts-hidden", view !== "messages");
    this.diagram.el.toggleClass("grpc-callouts-hidden", view !== "diagram");
    this.toggleBtn.setText(view === "diagram" ? "Messages" : "Diagram");
    this.toggleBtn.setAttr("aria-pressed", view === "diagram" ? "true" : "false");
    if (remember) this.options.onViewChange(view);
    if (this.session.transcript !== null && view === "diagram") this.diagram.render(this.session.transcript);
  }

  /** Keeps a timer while the call runs, so the header's clock moves; none once it ends. */
  private tick(running: boolean): void {
    if (running && this.ticker === null) this.ticker = this.el.win.setInterval(() => this.scheduleFrame(), 500);
    if (!running && this.ticker !== null) {
      this.el.win.clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  /** Stops listening and removes the view's DOM. The session lives on. */
  destroy(): void {
    this.unsubscribe();
    this.tick(false);
    if (this.frame !== null) this.el.win.cancelAnimationFrame(this.frame);
    this.frame = null;
    this.soon = false;
    this.el.detach();
  }

  private schedule(): void {
    // The end of a call is shown at once; everything else waits for the next frame.
    if (this.session.transcript?.status != null && !this.session.running) {
      if (this.frame !== null) this.el.win.cancelAnimationFrame(this.frame);
      this.frame = null;
      this.flush();
      return;
    }
    // The first reply of a stream, and news for a view that has not rendered for a frame, show at
    // the end of this task; while news keeps coming, the view renders once a frame. (A single
    // reply comes with its status, which is shown at once anyway.)
    const t = this.session.transcript;
    const streamed = this.session.kind === "server_streaming" || this.session.kind === "bidi_streaming";
    const firstReply = streamed && t !== null && t.received > 0 && (t !== this.shown || this.shownReceived === 0);
    if (!this.soon && (firstReply || (this.frame === null && performance.now() - this.flushedAt >= IDLE_FRAME_MS))) {
      this.soon = true;
      queueMicrotask(() => {
        if (!this.soon) return;
        this.soon = false;
        if (this.frame !== null) this.el.win.cancelAnimationFrame(this.frame);
        this.frame = null;
        this.flush();
      });
      return;
    }
    this.scheduleFrame();
  }

  private scheduleFrame(): void {
    if (this.frame !== null) return;
    this.frame = this.el.win.requestAnimationFrame(() => {
      this.frame = null;
      this.flush();
    });
  }

  /** Renders what changed since the last flush. */
  flush(): void {
    const t0 = performance.now();
    this.flushedAt = t0;
    const t = this.session.transcript;
    this.el.toggleClass("grpc-callouts-hidden", t === null);
    if (t === null) {
      this.shown = null;
      return;
    }
    if (t !== this.shown) this.reset(t);
    // The toolbar changes a few times per call: touch its DOM only then.
    const composing = this.session.running && this.session.spec?.interactive === true && t.halfClosedAt === null;
    const toolbar = `${t.state}|${t.status?.codeName ?? ""}|${this.session.running}|${this.session.canHalfClose}|${this.session.spec === null}|${composing}`;
    if (toolbar !== this.shownToolbar) {
      this.shownToolbar = toolbar;
      this.el.setAttr("data-state", t.state);
      this.chipEl.setText(t.status === null ? "Running" : t.status.codeName);
      this.chipEl.setAttr("data-code", t.status?.codeName ?? null);
      this.cancelBtn.toggleClass("grpc-callouts-hidden", !this.session.running);
      this.halfCloseBtn.toggleClass("grpc-callouts-hidden", !this.session.canHalfClose);
      this.rerunBtn.disabled = this.session.running || this.session.spec === null;
      this.composer.el.toggleClass("grpc-callouts-hidden", !composing);
    }
    const scripted = this.session.kind === "client_streaming" && this.session.spec?.interactive !== true ? (this.session.spec?.requests.length ?? null) : null;
    const summary = `${t.method} @ ${t.target} · ${progressText(t, { scripted, elapsedMs: Date.now() - t.startedAt })}`;
    setTextIfChanged(this.summaryEl, summary);
    if (this.summaryEl.getAttribute("aria-label") !== summary && t.status !== null) this.summaryEl.setAttr("aria-label", summary);
    this.tick(t.status === null);
    if (t.headers !== null && this.headersEl.childElementCount === 0) renderMetadata(this.headersEl, "Headers", t.headers);
    // Old rows go first, within half the frame's budget, so a large drop never lands in one frame.
    this.dismantle(t0 + FRAME_BUDGET_MS / 2);
    const more = this.renderRows(t, t0, t0 + FRAME_BUDGET_MS) || this.retired.length > 0;
    if (this.view === "diagram") this.diagram.render(t);
    if (t.trailers !== null && this.trailersEl.childElementCount === 0) renderMetadata(this.trailersEl, "Trailers", t.trailers);
    if (t.status !== null && this.statusEl.childElementCount === 0) {
      renderStatus(this.statusEl, t, this.options.maxJsonChars);
      // Only the end is announced: a screen reader is not read every message.
      this.announceEl.setText(`${t.label}: ${statusText(t.status.code, t.status.message)}, ${t.sent} sent, ${t.received} received, in ${Math.round(t.status.at)} ms`);
    }
    // Rows in the list and in those being taken apart, kept by count: asking a list for its children
    // makes jsdom recount them at every later insertion and removal.
    if (__RENDER_STATS__) renderStats.record(performance.now() - t0, t0, this.window.count + this.window.retired);
    this.shownReceived = t.received;
    if (more) this.scheduleFrame();
  }

  private reset(t: Transcript): void {
    this.shown = t;
    this.shownToolbar = "";
    this.announceEl.setText("");
    this.headersEl.empty();
    this.trailersEl.empty();
    this.statusEl.empty();
    this.statusEl.removeAttribute("data-code");
    if (this.window.reset(t.maxRows) > 0) this.setListAside();
  }

  /**
   * Draws what the row window says, within a time budget per frame: new rows
   * at the bottom, or, after a restart, the newest row alone; then older rows
   * at the top while time remains. Whatever is left is finished in the next
   * frames. The end of a call is always shown at once.
   */
  private renderRows(t: Transcript, now: number, deadline: number): boolean {
    const rows = t.rows;
    const step = this.window.step(rows, now, t.status !== null);
    if (step.kind === "wait") {
      this.showOmitted(t);
      return true;
    }
    if (step.kind === "restart") {
      if (step.setAside > 0) this.setListAside();
      this.omittedEl.after(this.rowEl(step.newest));
    } else if (step.kind === "append") {
      for (const row of step.rows) this.listEl.appendChild(this.rowEl(row));
    }
    // A short call that has ended shows all its rows in one flush, however slow the machine; the
    // budget paces the rest (a flood's rows while it runs).
    let made = 0;
    const floor = t.status !== null ? MIN_ROWS_PER_FLUSH : 0;
    const more = (): boolean => made++ < floor || performance.now() < deadline;
    for (let row = more() ? this.window.nextOlder(rows) : null; row !== null; row = more() ? this.window.nextOlder(rows) : null) {
      this.omittedEl.after(this.rowEl(row));
    }
    for (let n = this.window.trimOldest(); n > 0; n--) this.omittedEl.nextElementSibling?.remove();
    // The DOM never holds more rows than the setting, counting rows still being taken apart.
    while (this.window.overCap() > 0 && this.retired.length > 0) this.dismantleOne();
    const long = this.window.long;
    if (long !== this.listEl.hasClass("is-long")) this.listEl.toggleClass("is-long", long);
    this.showOmitted(t);
    return this.window.unfinished(rows);
  }

  /** The "not shown" line: earlier messages, or, while a flood's rows wait for their refresh, earlier and newer ones. */
  private showOmitted(t: Transcript): void {
    const omitted = t.sent + t.received - this.window.count;
    this.omittedEl.toggleClass("grpc-callouts-hidden", omitted <= 0);
    const which = this.window.behind(t.rows) ? "messages not shown; the newest appear a few times a second" : "earlier messages not shown";
    setTextIfChanged(this.omittedEl, omitted > 0 ? `${formatCount(omitted)} ${which}` : "");
  }

  /**
   * Drops every row from view at once: the list is hidden and set aside, and a
   * fresh one takes its place. Taking the old rows out of the DOM costs time per
   * node, so `dismantle` does that over the next frames.
   */
  private setListAside(): void {
    const list = createDiv({ cls: `grpc-callouts-messages${this.view === "diagram" ? " grpc-callouts-hidden" : ""}` });
    this.listEl.addClass("grpc-callouts-hidden", "grpc-callouts-retired");
    this.listEl.after(list);
    this.retired.push(this.listEl);
    this.omittedEl = list.createDiv({ cls: "grpc-callouts-omitted" });
    this.listEl = list;
  }

  /** Takes dropped rows out of the DOM until `deadline`, and at least one. */
  private dismantle(deadline: number): void {
    if (this.retired.length === 0) return;
    do this.dismantleOne();
    while (this.retired.length > 0 && performance.now() < deadline);
  }

  /**
   * Removes one child of a set-aside list (a dropped row, or its "not shown" line), or the list
   * once it is empty. From the front: jsdom finds a child's index by counting from the first.
   */
  private dismantleOne(): void {
    const list = this.retired[0];
    if (list === undefined) return;
    const first = list.firstElementChild;
    if (first === null) {
      list.remove();
      this.retired.shift();
      return;
    }
    if (first.hasClass("grpc-callouts-row")) this.window.tookApart(1);
    first.remove();
  }

  private rowEl(row: MessageRow): HTMLElement {
    const rowEl = createDiv({ cls: "grpc-callouts-row", attr: { "data-direction": row.direction } });
    rowEl.createSpan({
      cls: "grpc-callouts-glyph",
      text: directionGlyph(row.direction),
      attr: { "aria-label": row.direction === "sent" ? "Sent" : "Received" },
    });
    if (this.options.showTimestamps) rowEl.createSpan({ cls: "grpc-callouts-time", text: formatAt(row.at) });
    const pre = rowEl.createEl("pre", { cls: "grpc-callouts-message", attr: { "data-direction": row.direction, "data-seq": row.seq } });
    const shown = renderJson(pre, row.json, this.indent, this.options.maxJsonChars);
    if (shown.truncated) {
      // The row keeps only what it shows: "Show all" asks the transcript for the message again.
      const seq = row.seq;
      const more = rowEl.createEl("button", { cls: "grpc-callouts-expand", text: `Show all (${formatCount(shown.length)} characters)`, attr: { type: "button" } });
      more.addEventListener("click", (evt) => {
        evt.stopPropagation();
        const held = this.heldRow(seq);
        if (held === null) {
          more.setText("No longer held: the transcript keeps its newest messages");
          more.disabled = true;
          return;
        }
        renderJson(pre, held.json, this.indent, Infinity);
        more.detach();
      });
    }
    return rowEl;
  }

  /** Spaces per level of a message's JSON: none (one line) when compact. */
  private get indent(): number {
    return this.options.compact ? 0 : 2;
  }

  /** The row `seq` of the shown transcript, if it still holds it. */
  private heldRow(seq: number): MessageRow | null {
    const rows = this.session.transcript?.rows ?? [];
    const row = rows[seq - (rows[0]?.seq ?? 0)];
    return row?.seq === seq ? row : null;
  }

}

/**
 * Sets an element's text unless it already reads so. A text that changes every frame (the counts)
 * is changed in place in its text node rather than by replacing the node.
 */
function setTextIfChanged(el: HTMLElement, text: string): void {
  const node = el.firstChild;
  if (node !== null && node === el.lastChild && node.nodeType === Node.TEXT_NODE && text !== "") {
    if ((node as Text).data !== text) (node as Text).data = text;
  } else if (el.textContent !== text) {
    el.setText(text);
  }
}
