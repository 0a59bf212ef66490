import { join } from "node:path";
import { FileSystemAdapter, MarkdownView, Notice, Plugin, TFile, normalizePath, type Editor, type MarkdownPostProcessorContext } from "obsidian";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";
import { findRunnables, runnableAt, type Runnable } from "../core/callout/findRunnables";
import { detectPattern } from "../core/callout/detectPattern";
import { appendToCallout, insertBelow } from "../core/callout/insertBelow";
import { linkText } from "../core/callout/linkText";
import { METHOD_KINDS, methodKindLabel, type MethodKind } from "../core/callout/MethodKind";
import { demoSpec } from "../core/spec/demoSpec";
import { parseBlock } from "../core/spec/parseBlock";
import { specForRunnable } from "../core/spec/specForRunnable";
import { grpcFence, specToYaml } from "../core/spec/specToYaml";
import { toCallout } from "../core/transcript/toCallout";
import { toMarkdown } from "../core/transcript/toMarkdown";
import type { Transcript } from "../core/transcript/Transcript";
import { ClientPool } from "../grpc/ClientPool";
import { createRunHost } from "../grpc/createRunHost";
import { fileRegistryOf } from "../grpc/fileRegistryOf";
import type { RunHost } from "../grpc/startCall";
import { Launcher, type SidecarStatus } from "../sidecar/Launcher";
import { SIDECAR_FILES, TOKEN_HEADER } from "../sidecar/startServer";
import type { CallSession } from "./CallSession";
import { RunChild } from "./RunChild";
import { SessionStore } from "./SessionStore";
import { DEFAULT_SETTINGS, settingsFrom, type GrpcCalloutsSettings } from "./settings";
import { SettingsTab } from "./SettingsTab";
import { StatusModal } from "./StatusModal";
import type { TranscriptViewOptions } from "./TranscriptView";
import { unfoldCallout } from "./unfoldCallout";

/** Where a Run button points: a runnable of a note, as far as the DOM tells. */
interface RunTarget {
  notePath: string;
  key: string;
  label: string;
  /** From the DOM, used when the note's text cannot be read. */
  pattern: MethodKind | null;
}

/**
 * The plugin: Run buttons on pattern callouts and `grpc` blocks, live inline
 * transcripts, commands, settings and a status bar item. Nothing heavy
 * happens at load: the sidecar starts at the first run.
 */
export default class GrpcCalloutsPlugin extends Plugin {
  settings: GrpcCalloutsSettings = { ...DEFAULT_SETTINGS };
  readonly sessions = new SessionStore();
  private launcherInstance: Launcher | null = null;
  private pool: ClientPool | null = null;
  private hostInstance: RunHost | null = null;
  private statusBarEl: HTMLElement | null = null;
  private lastFinished: CallSession | null = null;
  private parsed: { text: string; runnables: Runnable[] } | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** Settles when the last unload has stopped the sidecar. */
  stopped: Promise<void> = Promise.resolve();

  override async onload(): Promise<void> {
    this.settings = settingsFrom(await this.loadData());
    this.statusBarEl = this.addStatusBarItem();
    this.statusBarEl.addClass("mod-clickable", "grpc-callouts-statusbar");
    this.registerDomEvent(this.statusBarEl, "click", () => this.openStatus());
    this.renderStatusBar(null);
    this.registerMarkdownPostProcessor((el, ctx) => this.processCallouts(el, ctx));
    this.registerMarkdownCodeBlockProcessor("grpc", (source, el, ctx) => this.processBlock(source, el, ctx));
    this.addSettingTab(new SettingsTab(this.app, this));
    this.addCommands();
    this.app.workspace.onLayoutReady(() => {
      if (this.settings.startAtLaunch) void this.startSidecar();
    });
  }

  override onunload(): void {
    this.sessions.dispose();
    this.pool?.close();
    this.stopped = this.launcherInstance?.dispose() ?? Promise.resolve();
  }

  /** Saves the settings and applies them to the launcher. */
  async saveSettings(): Promise<void> {
    // One write at a time, in order, so the last change is the one saved.
    this.saving = this.saving.catch(() => undefined).then(() => this.saveData({ ...this.settings }));
    await this.saving;
    this.launcherInstance?.configure({ runtime: this.settings.runtime, nodePath: this.settings.nodePath });
  }

  /** The sidecar launcher, made on first use. */
  get launcher(): Launcher {
    if (this.launcherInstance === null) {
      this.launcherInstance = new Launcher({
        runtime: this.settings.runtime,
        nodePath: this.settings.nodePath,
        program: { dir: this.pluginDir(), source: SIDECAR_SOURCE, hash: SIDECAR_HASH },
        onChange: (s) => this.renderStatusBar(s),
      });
    }
    return this.launcherInstance;
  }

  /** The run host shared by every call, made on first use. */
  get host(): RunHost {
    if (this.hostInstance === null) {
      this.pool = new ClientPool();
      this.hostInstance = createRunHost({
        sidecar: () => this.launcher.start(),
        sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
        tokenHeader: TOKEN_HEADER,
        pool: this.pool,
        readFile: async (path) => new Uint8Array(await this.app.vault.adapter.readBinary(normalizePath(path))),
      });
    }
    return this.hostInstance;
  }

  /** Starts the sidecar and reports the outcome in a notice. */
  async startSidecar(): Promise<void> {
    try {
      const ep = await this.launcher.start();
      new Notice(`gRPC sidecar ready on port ${ep.port} (${ep.runtime} runtime).`);
    } catch (e) {
      new Notice(`gRPC sidecar failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Opens the sidecar status modal. */
  openStatus(): void {
    new StatusModal(this.app, () => this.launcher.status()).open();
  }

  private pluginDir(): string {
    const dir = this.manifest.dir ?? join(this.app.vault.configDir, "plugins", this.manifest.id);
    const adapter = this.app.vault.adapter;
    return adapter instanceof FileSystemAdapter ? join(adapter.getBasePath(), dir) : dir;
  }

  private renderStatusBar(s: SidecarStatus | null): void {
    const el = this.statusBarEl;
    if (el === null) return;
    const state = s?.state ?? "off";
    el.setAttr("data-state", state);
    el.setText(
      state === "ready" ? `gRPC: ready on port ${s?.port ?? "?"}` : state === "starting" ? "gRPC: starting…" : state === "failed" ? "gRPC: failed" : "gRPC: off",
    );
    el.setAttr("aria-label", "Show gRPC sidecar status");
  }

  private viewOptions(session: CallSession): () => TranscriptViewOptions {
    return () => ({
      showTimestamps: this.settings.showTimestamps,
      maxJsonChars: 2000,
      onRerun: () => void this.rerun(session),
      onCopy: (md) => void this.copy(md),
      toMarkdown,
    });
  }

  private async copy(markdown: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(markdown);
      new Notice("Transcript copied as Markdown.");
    } catch {
      new Notice("Could not copy to the clipboard.");
    }
  }

  /** The note's runnables, parsed once per text. */
  private runnablesOf(text: string): Runnable[] {
    if (this.parsed?.text !== text) this.parsed = { text, runnables: findRunnables(text) };
    return this.parsed.runnables;
  }

  private async noteText(path: string): Promise<string | null> {
    const file = this.app.vault.getAbstractFileByPath(path);
    if (!(file instanceof TFile)) return null;
    const view = this.app.workspace.getActiveViewOfType(MarkdownView);
    if (view?.file?.path === path && view.getMode() === "source") return view.editor.getValue();
    return this.app.vault.cachedRead(file);
  }

  private frontmatterDefaults(path: string): Record<string, unknown> {
    const file = this.app.vault.getAbstractFileByPath(path);
    if (!(file instanceof TFile)) return {};
    const grpc: unknown = this.app.metadataCache.getFileCache(file)?.frontmatter?.["grpc"];
    return typeof grpc === "object" && grpc !== null && !Array.isArray(grpc) ? (grpc as Record<string, unknown>) : {};
  }

  /** Runs a target: the runnable is looked up again in the note's current text. */
  async runTarget(target: RunTarget): Promise<Transcript | null> {
    const text = await this.noteText(target.notePath);
    const runnable = text === null ? undefined : this.runnablesOf(text).find((r) => r.key === target.key);
    const r: Runnable =
      runnable ??
      ({ kind: "callout", key: target.key, line: 0, endLine: 0, label: target.label, pattern: target.pattern, block: null } satisfies Runnable);
    return this.runRunnable(target.notePath, r);
  }

  /** Runs one runnable of a note in its session. */
  async runRunnable(notePath: string, r: Runnable): Promise<Transcript | null> {
    const session = this.sessions.ensure(notePath, r.key, r.label);
    const parsed = specForRunnable(r, {
      pacing: { count: this.settings.demoCount, intervalMs: this.settings.demoIntervalMs },
      defaults: this.frontmatterDefaults(notePath),
      deadlineMs: this.settings.defaultDeadlineMs > 0 ? this.settings.defaultDeadlineMs : null,
    });
    if (!parsed.ok) {
      session.fail(parsed.error, r.label, "");
      return session.transcript;
    }
    const t = await session.run(parsed.spec, { host: this.host, maxRows: this.settings.maxRows });
    this.lastFinished = session;
    return t;
  }

  private async rerun(session: CallSession): Promise<void> {
    if (session.spec === null) return;
    await session.run(session.spec, { host: this.host, maxRows: this.settings.maxRows });
    this.lastFinished = session;
  }

  // ── Reading view and Live Preview ────────────────────────────────────────

  private processCallouts(el: HTMLElement, ctx: MarkdownPostProcessorContext): void {
    const callouts = el.hasClass("callout") ? [el] : Array.from(el.querySelectorAll<HTMLElement>(".callout"));
    for (const callout of callouts) {
      const titleEl = callout.querySelector<HTMLElement>(":scope > .callout-title");
      if (titleEl === null || titleEl.querySelector(":scope > .grpc-callouts-run") !== null) continue;
      const contentEl = callout.querySelector<HTMLElement>(":scope > .callout-content");
      const title = (titleEl.querySelector(".callout-title-inner")?.textContent ?? "").trim();
      const hasBlock = contentEl?.querySelector("code.language-grpc, .grpc-callouts-block") != null;
      const pattern = detectPattern(title);
      if (pattern === null && !hasBlock) continue;
      const key = this.keyFor(ctx, callout, el, "callout") ?? `callout:${linkText(title)}`;
      const label = title || "callout";
      const session = this.sessions.ensure(ctx.sourcePath, key, label);
      const transcriptParent = contentEl ?? callout;
      const child = new RunChild(callout, session, transcriptParent, this.viewOptions(session));
      const button = titleEl.createEl("button", {
        cls: "grpc-callouts-run",
        text: "Run",
        attr: { type: "button", "aria-label": `Run ${label}` },
      });
      const fold = titleEl.querySelector(":scope > .callout-fold");
      if (fold !== null) titleEl.insertBefore(button, fold);
      // Keep the click from folding the callout or flipping Live Preview to source.
      child.registerDomEvent(button, "mousedown", (evt) => evt.stopPropagation());
      child.registerDomEvent(button, "click", (evt) => {
        evt.preventDefault();
        evt.stopPropagation();
        unfoldCallout(callout);
        void this.runTarget({ notePath: ctx.sourcePath, key, label, pattern });
      });
      ctx.addChild(child);
    }
  }

  private processBlock(source: string, el: HTMLElement, ctx: MarkdownPostProcessorContext): void {
    const box = el.createDiv({ cls: "grpc-callouts-block" });
    const head = box.createDiv({ cls: "grpc-callouts-block-head" });
    const info = ctx.getSectionInfo(el);
    const parsed = parseBlock(source, info === null ? {} : { firstLine: info.lineStart + 2 });
    if (parsed.ok) {
      head.createSpan({ cls: "grpc-callouts-block-method", text: parsed.spec.method });
      head.createSpan({ cls: "grpc-callouts-block-target", text: ` @ ${parsed.spec.target ?? "sidecar"}` });
    } else {
      const e = parsed.error;
      const where = e.location === undefined ? "" : `Line ${e.location.line}, column ${e.location.column}: `;
      head.createDiv({ cls: "grpc-callouts-error", text: `${where}${e.message}${e.hint === undefined ? "" : ` ${e.hint}`}` });
    }
    box.createEl("pre", { cls: "grpc-callouts-block-source", text: source });
    const inCallout = el.closest(".callout") !== null || (info !== null && /^\s*>/.test(info.text.split("\n")[info.lineStart] ?? ""));
    if (inCallout) {
      head.createSpan({ cls: "grpc-callouts-block-note", text: " · runs from the callout's title" });
      return;
    }
    const key = this.keyFor(ctx, el, el, "block") ?? `block:${parsed.ok ? parsed.spec.method : "grpc block"}`;
    const label = parsed.ok ? parsed.spec.method : "grpc block";
    const session = this.sessions.ensure(ctx.sourcePath, key, label);
    const child = new RunChild(el, session, box, this.viewOptions(session));
    const button = head.createEl("button", { cls: "grpc-callouts-run", text: "Run", attr: { type: "button", "aria-label": `Run ${label}` } });
    head.prepend(button);
    child.registerDomEvent(button, "mousedown", (evt) => evt.stopPropagation());
    child.registerDomEvent(button, "click", (evt) => {
      evt.preventDefault();
      evt.stopPropagation();
      void this.runTarget({ notePath: ctx.sourcePath, key, label, pattern: null });
    });
    ctx.addChild(child);
  }

  private keyFor(ctx: MarkdownPostProcessorContext, el: HTMLElement, sectionEl: HTMLElement, kind: Runnable["kind"]): string | null {
    const info = ctx.getSectionInfo(el) ?? ctx.getSectionInfo(sectionEl);
    if (info === null) return null;
    const r = runnableAt(this.runnablesOf(info.text), info.lineStart);
    return r !== undefined && r.kind === kind ? r.key : null;
  }

  // ── Commands ─────────────────────────────────────────────────────────────

  private addCommands(): void {
    this.addCommand({
      id: "run-at-cursor",
      name: "Run the callout or block at the cursor",
      editorCheckCallback: (checking, editor, view) => {
        const path = view.file?.path;
        const r = path === undefined ? undefined : runnableAt(findRunnables(editor.getValue()), editor.getCursor().line);
        if (checking) return r !== undefined;
        if (path !== undefined && r !== undefined) void this.runWithNotice(path, r);
        return true;
      },
    });
    this.addCommand({
      id: "run-all",
      name: "Run all calls in the current note",
      editorCallback: (editor, view) => {
        const path = view.file?.path;
        if (path !== undefined) void this.runAll(path, editor.getValue());
      },
    });
    this.addCommand({
      id: "cancel-all",
      name: "Cancel all running calls",
      callback: () => {
        const n = this.sessions.cancelAll();
        new Notice(n === 0 ? "No calls are running." : `Cancelled ${n} running call${n === 1 ? "" : "s"}.`);
      },
    });
    this.addCommand({ id: "start-sidecar", name: "Start the sidecar", callback: () => void this.startSidecar() });
    this.addCommand({
      id: "stop-sidecar",
      name: "Stop the sidecar",
      callback: async () => {
        this.sessions.cancelAll();
        await this.launcher.stop();
        new Notice("gRPC sidecar stopped.");
      },
    });
    this.addCommand({
      id: "restart-sidecar",
      name: "Restart the sidecar",
      callback: async () => {
        this.sessions.cancelAll();
        await this.launcher.stop();
        await this.startSidecar();
      },
    });
    this.addCommand({ id: "show-sidecar-status", name: "Show sidecar status", callback: () => this.openStatus() });
    for (const kind of METHOD_KINDS) {
      this.addCommand({
        id: `insert-${kind.replace("_", "-")}-callout`,
        name: `Insert a runnable ${methodKindLabel(kind).replace(" RPC", "").toLowerCase()} callout`,
        editorCallback: (editor) => insertCallout(editor, kind, this.settings),
      });
    }
    this.addCommand({
      id: "make-callout-explicit",
      name: "Make this callout explicit",
      editorCheckCallback: (checking, editor, view) => {
        const text = editor.getValue();
        const r = runnableAt(findRunnables(text), editor.getCursor().line);
        const ok = r !== undefined && r.kind === "callout" && r.block === null && r.pattern !== null && view.file !== null;
        if (checking) return ok;
        if (!ok || r.pattern === null) return true;
        const spec = demoSpec(r.pattern, { count: this.settings.demoCount, intervalMs: this.settings.demoIntervalMs });
        const next = appendToCallout(text, r.key, grpcFence(specToYaml(spec)));
        if (next !== null) applyEdit(editor, text, next);
        return true;
      },
    });
    this.addCommand({
      id: "clear-transcripts",
      name: "Clear all transcripts in the note",
      checkCallback: (checking) => {
        const file = this.app.workspace.getActiveFile();
        if (checking) return file !== null;
        if (file !== null) {
          const n = this.sessions.clearNote(file.path);
          new Notice(n === 0 ? "No transcripts to clear." : `Cleared ${n} transcript${n === 1 ? "" : "s"}.`);
        }
        return true;
      },
    });
    this.addCommand({
      id: "save-last-transcript",
      name: "Save the last transcript into the note",
      callback: () => void this.saveLastTranscript(),
    });
  }

  private async runWithNotice(path: string, r: Runnable): Promise<void> {
    const t = await this.runRunnable(path, r);
    if (t?.status != null) new Notice(`${r.label}: ${t.status.codeName} (${t.sent} sent, ${t.received} received)`);
  }

  /** Runs every runnable of a note, one after another or all at once as the settings say. */
  async runAll(path: string, text: string): Promise<Array<Transcript | null>> {
    const rs = findRunnables(text);
    if (rs.length === 0) {
      new Notice("This note has no pattern callouts or gRPC blocks.");
      return [];
    }
    let results: Array<Transcript | null>;
    if (this.settings.runAllMode === "concurrent") {
      results = await Promise.all(rs.map((r) => this.runRunnable(path, r)));
    } else {
      results = [];
      for (const r of rs) results.push(await this.runRunnable(path, r));
    }
    const ok = results.filter((t) => t?.status?.codeName === "OK").length;
    new Notice(`Ran ${rs.length} call${rs.length === 1 ? "" : "s"}: ${ok} OK, ${rs.length - ok} not OK.`);
    return results;
  }

  /** Writes the last finished transcript below its run, as a folded callout, with Vault.process. */
  async saveLastTranscript(): Promise<boolean> {
    const s = this.lastFinished;
    const t = s?.transcript ?? null;
    if (s === null || t === null || t.status === null) {
      new Notice("There is no finished transcript to save yet.");
      return false;
    }
    const file = this.app.vault.getAbstractFileByPath(s.notePath);
    if (!(file instanceof TFile)) {
      new Notice("The transcript's note is gone.");
      return false;
    }
    let saved = false;
    await this.app.vault.process(file, (data) => {
      const next = insertBelow(data, s.key, toCallout(t));
      saved = next !== null;
      return next ?? data;
    });
    new Notice(saved ? "Transcript saved into the note." : "Could not find the call in the note any more.");
    return saved;
  }
}

function insertCallout(editor: Editor, kind: MethodKind, settings: GrpcCalloutsSettings): void {
  const spec = demoSpec(kind, { count: settings.demoCount, intervalMs: settings.demoIntervalMs });
  const title = methodKindLabel(kind);
  const text = [`> [!summary] ${title}`, grpcFence(specToYaml(spec), "> "), ""].join("\n");
  const cursor = editor.getCursor();
  const line = editor.getLine(cursor.line);
  const prefix = line.trim() === "" ? "" : "\n\n";
  editor.replaceRange(`${prefix}${text}`, { line: cursor.line, ch: line.length });
}

/** Replaces only the changed middle of the text, so the editor keeps the cursor and undo history tidy. */
function applyEdit(editor: Editor, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  editor.replaceRange(after.slice(start, endA), editor.offsetToPos(start), editor.offsetToPos(endB));
}
