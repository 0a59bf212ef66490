import type { JsonValue } from "../../core/json/JsonValue";
import { parseYamlValue } from "../../core/spec/yamlValue";
import type { MetadataEntries } from "../../core/transcript/CallEvent";
import { directionGlyph, formatAt, formatCount, statusText } from "../../core/transcript/formatEvent";
import type { MessageRow, Transcript } from "../../core/transcript/Transcript";
import type { CallSession } from "../CallSession";
import { DiagramView } from "./DiagramView";

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
}

/** Time one flush may spend building rows; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 2;
/** More new rows than this in one frame, and the list restarts from the newest. */
const APPEND_LIMIT = 20;
/** Lists with more rows than this are "long": rows out of view skip layout and paint (styles.css). */
const LONG_LIST_ROWS = 40;
/** In a flood the rows are rebuilt at most this often; the counts change every frame. */
const FLOOD_REFRESH_MS = 100;

/** Render timing, for the benchmarks: the longest and the count of flushes. */
export const renderStats = {
  flushes: 0,
  longestMs: 0,
  durations: [] as number[],
  /** When each of those flushes started (performance.now()). */
  starts: [] as number[],
  /** The most message rows any list held after a flush, counted in the DOM. */
  maxRows: 0,
  reset(): void {
    this.flushes = 0;
    this.longestMs = 0;
    this.durations = [];
    this.starts = [];
    this.maxRows = 0;
  },
};

/**
 * Shows a session's transcript live: message rows with direction, relative
 * time and JSON; headers, trailers and final status; and the controls.
 * Changes are rendered at most once per animation frame, and the DOM keeps
 * at most `maxRows` message rows.
 */
export class TranscriptView {
  readonly el: HTMLElement;
  private readonly summaryEl: HTMLElement;
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
  private readonly composerEl: HTMLElement;
  private readonly composerInput: HTMLTextAreaElement;
  private readonly composerError: HTMLElement;
  private shown: Transcript | null = null;
  /** The toolbar state last rendered, to skip unchanged writes. */
  private shownToolbar = "";
  /** Hidden lists of dropped rows, taken apart a few rows per frame. */
  private readonly retired: HTMLElement[] = [];
  /** Rows still in `retired`; they count toward the DOM's cap. */
  private retiredRows = 0;
  /** The DOM holds rows loSeq..hiSeq, rowCount of them. */
  private loSeq = 0;
  private hiSeq = 0;
  private rowCount = 0;
  /** When the list last restarted from the newest row (performance.now()). */
  private restartedAt = -Infinity;
  private frame: number | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    parent: HTMLElement,
    private readonly session: CallSession,
    private readonly options: TranscriptViewOptions,
  ) {
    this.el = parent.createDiv({ cls: "grpc-callouts-transcript", attr: { "data-state": "running", "aria-live": "polite" } });
    const bar = this.el.createDiv({ cls: "grpc-callouts-toolbar" });
    this.chipEl = bar.createSpan({ cls: "grpc-callouts-chip" });
    this.summaryEl = bar.createSpan({ cls: "grpc-callouts-summary" });
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
    this.headersEl = this.el.createDiv({ cls: "grpc-callouts-headers" });
    this.listEl = this.el.createDiv({ cls: "grpc-callouts-messages" });
    this.omittedEl = this.listEl.createDiv({ cls: "grpc-callouts-omitted" });
    this.diagram = new DiagramView(this.el);
    this.trailersEl = this.el.createDiv({ cls: "grpc-callouts-trailers" });
    this.statusEl = this.el.createDiv({ cls: "grpc-callouts-status" });
    this.composerEl = this.el.createDiv({ cls: "grpc-callouts-composer grpc-callouts-hidden" });
    this.composerInput = this.composerEl.createEl("textarea", {
      cls: "grpc-callouts-composer-input",
      attr: { rows: 3, placeholder: "A message as YAML or JSON, then Send (Ctrl+Enter)", "aria-label": "Message to send" },
    });
    const send = this.composerEl.createEl("button", { cls: "grpc-callouts-send mod-cta", text: "Send", attr: { type: "button" } });
    this.composerError = this.composerEl.createDiv({ cls: "grpc-callouts-error" });
    send.addEventListener("click", (evt) => {
      evt.stopPropagation();
      void this.sendComposed();
    });
    this.composerInput.addEventListener("keydown", (evt) => {
      evt.stopPropagation();
      if (evt.key === "Enter" && (evt.ctrlKey || evt.metaKey)) {
        evt.preventDefault();
        void this.sendComposed();
      }
    });
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

  /** Stops listening and removes the view's DOM. The session lives on. */
  destroy(): void {
    this.unsubscribe();
    if (this.frame !== null) this.el.win.cancelAnimationFrame(this.frame);
    this.frame = null;
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
      this.composerEl.toggleClass("grpc-callouts-hidden", !composing);
    }
    const duration = t.status === null ? "" : ` · ${Math.round(t.status.at)} ms`;
    setTextIfChanged(this.summaryEl, `${t.method} @ ${t.target} · ${t.sent} sent · ${t.received} received${duration}`);
    if (t.headers !== null && this.headersEl.childElementCount === 0) renderMetadata(this.headersEl, "Headers", t.headers);
    // Old rows go first, within half the frame's budget, so a large drop never lands in one frame.
    this.dismantle(t0 + FRAME_BUDGET_MS / 2);
    const more = this.renderRows(t, t0, t0 + FRAME_BUDGET_MS) || this.retired.length > 0;
    if (this.view === "diagram") this.diagram.render(t);
    if (t.trailers !== null && this.trailersEl.childElementCount === 0) renderMetadata(this.trailersEl, "Trailers", t.trailers);
    if (t.status !== null && this.statusEl.childElementCount === 0) this.renderStatus(t);
    const took = performance.now() - t0;
    renderStats.flushes++;
    // Rows in the list and in those being taken apart. Kept by count, not read off the DOM: asking a
    // list for its children makes jsdom recount them at every later insertion and removal.
    // tests/obsidian/plugin.test.ts checks these counts against the DOM after every render.
    renderStats.maxRows = Math.max(renderStats.maxRows, this.rowCount + this.retiredRows);
    if (renderStats.durations.length < 100_000) {
      renderStats.durations.push(took);
      renderStats.starts.push(t0);
    }
    renderStats.longestMs = Math.max(renderStats.longestMs, took);
    if (more) this.scheduleFrame();
  }

  /** Sends the composer's text as one message; problems show under the composer, and the text stays. */
  private async sendComposed(): Promise<void> {
    const text = this.composerInput.value;
    let json: JsonValue;
    try {
      json = text.trim() === "" ? {} : parseYamlValue(text);
    } catch (e) {
      this.composerError.setText(`Not valid YAML or JSON: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      return;
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      this.composerError.setText("A message is a mapping of fields, like {text: hello}.");
      return;
    }
    const error = await this.session.send(json);
    if (error !== null) {
      this.composerError.setText(`${error.message}${error.hint === undefined ? "" : ` ${error.hint}`}`);
      return;
    }
    this.composerError.setText("");
    this.composerInput.value = "";
  }

  private reset(t: Transcript): void {
    this.shown = t;
    this.shownToolbar = "";
    this.restartedAt = -Infinity;
    this.headersEl.empty();
    this.trailersEl.empty();
    this.statusEl.empty();
    this.statusEl.removeAttribute("data-code");
    // Sets the rows aside (and the counts to zero).
    this.clearRows();
  }

  /**
   * Keeps the DOM a contiguous run of the newest rows, within a time budget per
   * frame: new rows are appended; when more arrived than fit (a flood), the list
   * restarts from the newest row; older rows are filled in at the top while time
   * remains. Whatever is left is finished in the next frames. While a flood goes
   * on, the rows restart at most every FLOOD_REFRESH_MS: rebuilding them is the
   * costliest part of a frame, and nobody reads rows that change 60 times a
   * second. The end of a call is always shown at once.
   */
  private renderRows(t: Transcript, now: number, deadline: number): boolean {
    const rows = t.rows;
    const oldest = rows[0]?.seq ?? 0;
    const newest = rows[rows.length - 1]?.seq ?? 0;
    const fresh = newest - this.hiSeq;
    const flood = this.rowCount > 0 && fresh > APPEND_LIMIT;
    if (flood && t.status === null && now - this.restartedAt < FLOOD_REFRESH_MS) {
      this.showOmitted(t, newest);
      return true;
    }
    if (this.rowCount > 0 && (this.loSeq < oldest || flood)) this.clearRows();
    if (this.rowCount === 0 && rows.length > 0) {
      // Start from the newest row and fill in backwards.
      const row = rows[rows.length - 1] as MessageRow;
      this.omittedEl.after(this.rowEl(row));
      this.loSeq = this.hiSeq = row.seq;
      this.rowCount = 1;
      this.restartedAt = now;
    } else if (fresh > 0) {
      for (let i = rows.length - fresh; i < rows.length; i++) {
        const row = rows[i] as MessageRow;
        this.listEl.appendChild(this.rowEl(row));
        this.rowCount++;
      }
      this.hiSeq = newest;
    }
    // Fill older rows in at the top while the frame's budget lasts.
    while (this.rowCount + this.retiredRows < t.maxRows && this.loSeq > oldest && performance.now() < deadline) {
      const row = rows[this.loSeq - oldest - 1] as MessageRow;
      this.omittedEl.after(this.rowEl(row));
      this.loSeq = row.seq;
      this.rowCount++;
    }
    while (this.rowCount > t.maxRows) {
      this.omittedEl.nextElementSibling?.remove();
      this.rowCount--;
      this.loSeq++;
    }
    // The DOM never holds more rows than the setting, counting rows still being taken apart.
    while (this.rowCount + this.retiredRows > t.maxRows) this.dismantleOne();
    const long = this.rowCount > LONG_LIST_ROWS;
    if (long !== this.listEl.hasClass("is-long")) this.listEl.toggleClass("is-long", long);
    this.showOmitted(t, newest);
    return this.rowCount < Math.min(t.maxRows, rows.length);
  }

  /** The "not shown" line: earlier messages, or, while a flood's rows wait for their refresh, earlier and newer ones. */
  private showOmitted(t: Transcript, newest: number): void {
    const omitted = t.sent + t.received - this.rowCount;
    this.omittedEl.toggleClass("grpc-callouts-hidden", omitted <= 0);
    const which = this.hiSeq < newest ? "messages not shown; the newest appear a few times a second" : "earlier messages not shown";
    setTextIfChanged(this.omittedEl, omitted > 0 ? `${formatCount(omitted)} ${which}` : "");
  }

  /**
   * Drops every row from view at once: the list is hidden and set aside, and a
   * fresh one takes its place. Taking the old rows out of the DOM costs time per
   * node, so `dismantle` does that over the next frames.
   */
  private clearRows(): void {
    const rows = this.rowCount;
    if (rows > 0) {
      const list = createDiv({ cls: `grpc-callouts-messages${this.view === "diagram" ? " grpc-callouts-hidden" : ""}` });
      this.listEl.addClass("grpc-callouts-hidden", "grpc-callouts-retired");
      this.listEl.after(list);
      this.retired.push(this.listEl);
      this.retiredRows += rows;
      this.omittedEl = list.createDiv({ cls: "grpc-callouts-omitted" });
      this.listEl = list;
    }
    this.rowCount = 0;
    this.loSeq = this.hiSeq = 0;
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
    if (first.hasClass("grpc-callouts-row")) this.retiredRows--;
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
    const full = JSON.stringify(row.json, null, this.options.compact ? undefined : 2) ?? "null";
    const short = full.length > this.options.maxJsonChars;
    const pre = rowEl.createEl("pre", {
      cls: "grpc-callouts-message",
      text: short ? `${full.slice(0, this.options.maxJsonChars)}…` : full,
      attr: { "data-direction": row.direction, "data-seq": row.seq },
    });
    if (short) {
      const more = rowEl.createEl("button", {
        cls: "grpc-callouts-expand",
        text: `Show all (${formatCount(full.length)} characters)`,
        attr: { type: "button" },
      });
      more.addEventListener("click", (evt) => {
        evt.stopPropagation();
        pre.setText(full);
        more.detach();
      });
    }
    return rowEl;
  }

  private renderStatus(t: Transcript): void {
    const s = t.status;
    if (s === null) return;
    this.statusEl.setAttr("data-code", s.codeName);
    this.statusEl.createSpan({ cls: "grpc-callouts-status-code", text: statusText(s.code, s.message) });
    this.statusEl.createSpan({ cls: "grpc-callouts-duration", text: ` in ${Math.round(s.at)} ms` });
    if (s.details.length > 0) {
      const details = JSON.stringify(s.details, null, 2);
      this.statusEl.createEl("pre", {
        cls: "grpc-callouts-details",
        text: details.length > this.options.maxJsonChars ? `${details.slice(0, this.options.maxJsonChars)}…` : details,
      });
    }
    if (s.hint !== undefined) this.statusEl.createDiv({ cls: "grpc-callouts-hint", text: s.hint });
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

function renderMetadata(el: HTMLElement, title: string, md: MetadataEntries): void {
  const details = el.createEl("details", { cls: "grpc-callouts-metadata" });
  details.createEl("summary", { text: `${title} (${md.length})` });
  const list = details.createEl("dl");
  for (const [k, v] of md) {
    list.createEl("dt", { text: k });
    list.createEl("dd", { text: v.length > 2000 ? `${v.slice(0, 2000)}…` : v });
  }
}
