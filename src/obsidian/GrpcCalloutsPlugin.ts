import { join } from "node:path";
import { FileSystemAdapter, MarkdownRenderChild, MarkdownView, Notice, Plugin, TFile, normalizePath, type Editor, type MarkdownFileInfo, type MarkdownPostProcessorContext } from "obsidian";
import type { JsonValue } from "../core/errors/CallError";
import { substituteVariables } from "../core/spec/substituteVariables";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";
import { findRunnables, runnableAt, type Runnable } from "../core/callout/findRunnables";
import { detectPattern } from "../core/callout/detectPattern";
import { appendToCallout, insertBelow } from "../core/callout/insertBelow";
import { linkText } from "../core/callout/linkText";
import { clientStreams, METHOD_KINDS, methodKindLabel, type MethodKind } from "../core/callout/MethodKind";
import { demoSpec } from "../core/spec/demoSpec";
import { parseBlock } from "../core/spec/parseBlock";
import { specForRunnable } from "../core/spec/specForRunnable";
import { grpcFence, specToYaml } from "../core/spec/specToYaml";
import { toCallout } from "../core/transcript/toCallout";
import { toMarkdown } from "../core/transcript/toMarkdown";
import type { Transcript } from "../core/transcript/Transcript";
import { ClientPool } from "../grpc/ClientPool";
import { isLoopback } from "../grpc/isLoopback";
import { requestTemplate } from "../grpc/requestTemplate";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { createCallSpec, type CallSpec } from "../core/spec/CallSpec";
import { ConfirmModal } from "./ConfirmModal";
import { DiscoveryModal } from "./DiscoveryModal";
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
  private readonly confirmedTargets = new Set<string>();
  private poolMessageMb = 0;
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
    // A new message size limit takes a new channel pool; calls already running keep theirs until idle.
    if (this.pool !== null && this.poolMessageMb !== this.settings.maxMessageMb && this.sessions.running().length === 0) {
      this.pool.close();
      this.pool = null;
      this.hostInstance = null;
    }
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
      this.poolMessageMb = this.settings.maxMessageMb;
      const bytes = this.settings.maxMessageMb * 1024 * 1024;
      this.pool = new ClientPool({ maxReceiveMessageBytes: bytes, maxSendMessageBytes: bytes });
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
      view: this.settings.transcriptView,
      onViewChange: (view) => {
        this.settings.transcriptView = view;
        void this.saveSettings();
      },
      compact: this.settings.compact,
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
    const parsed = this.specFor(notePath, r);
    if (!parsed.ok) {
      session.fail(parsed.error, r.label, "");
      return session.transcript;
    }
    const spec = parsed.spec;
    if (spec.discover) {
      session.fail(new CallError(Code.INVALID_ARGUMENT, "This block has a target but no method.", { hint: "Use its List services button, or add `method:`." }), r.label, spec.target ?? "");
      return session.transcript;
    }
    if (!(await this.confirmTarget(notePath, spec.target))) {
      session.fail(
        new CallError(Code.CANCELLED, `Not run: the call to ${spec.target ?? ""} was not confirmed.`, { hint: "Run it again and confirm, or turn off \"Confirm outbound calls\" in the settings." }),
        spec.method,
        spec.target ?? "",
      );
      return session.transcript;
    }
    const t = await session.run(spec, { host: this.host, maxRows: this.settings.maxRows });
    this.lastFinished = session;
    return t;
  }

  /** The spec of a runnable, with the note's frontmatter defaults, the default deadline and the variables. */
  specFor(notePath: string, r: Runnable): ReturnType<typeof specForRunnable> {
    return specForRunnable(r, {
      pacing: { count: this.settings.demoCount, intervalMs: this.settings.demoIntervalMs },
      defaults: this.frontmatterDefaults(notePath),
      deadlineMs: this.settings.defaultDeadlineMs > 0 ? this.settings.defaultDeadlineMs : null,
      sources: { variables: this.settings.variables, env: process.env },
    });
  }

  /** Asks once per note and target before calling a server off this machine, when the setting says so. */
  private async confirmTarget(notePath: string, target: string | null): Promise<boolean> {
    if (target === null || isLoopback(target) || !this.settings.confirmOutbound) return true;
    const key = `${notePath}\u0000${target}`;
    if (this.confirmedTargets.has(key)) return true;
    const modal = new ConfirmModal(
      this.app,
      "Call a server on another machine?",
      `A block in ${notePath} calls ${target}. Its requests, and any metadata it sets, will be sent there.`,
      "Call it",
    );
    modal.open();
    const yes = await modal.answer;
    if (yes) this.confirmedTargets.add(key);
    return yes;
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
    const key = this.keyFor(ctx, el, el, "block") ?? `block:${parsed.ok && !parsed.spec.discover ? parsed.spec.method : "grpc block"}`;
    if (parsed.ok && parsed.spec.discover) {
      this.renderDiscovery(box, head, parsed.spec, ctx, key);
      return;
    }
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

  /** A target-only block: a button that lists the server's methods, each with "Insert call". */
  private renderDiscovery(box: HTMLElement, head: HTMLElement, blockSpec: CallSpec, ctx: MarkdownPostProcessorContext, key: string): void {
    head.empty();
    head.createSpan({ cls: "grpc-callouts-block-target", text: blockSpec.target ?? "sidecar" });
    const button = head.createEl("button", { cls: "grpc-callouts-discover", text: "List services", attr: { type: "button" } });
    head.prepend(button);
    const list = box.createDiv({ cls: "grpc-callouts-discovery" });
    const child = new MarkdownRenderChildOf(box);
    const abort = new AbortController();
    child.register(() => abort.abort());
    child.registerDomEvent(button, "click", (evt) => {
      evt.preventDefault();
      evt.stopPropagation();
      void this.discoverInto(list, ctx.sourcePath, key, blockSpec, abort.signal);
    });
    ctx.addChild(child);
  }

  /** Lists the methods at a discovery block's target into `list`. */
  async discoverInto(list: HTMLElement, notePath: string, key: string, blockSpec: CallSpec, signal: AbortSignal): Promise<void> {
    list.empty();
    list.createDiv({ cls: "grpc-callouts-discovery-status", text: `Asking ${blockSpec.target ?? "the sidecar"} for its services…` });
    const parsed = substituteFor(blockSpec, this.settings.variables);
    if (parsed instanceof Error) return renderError(list, parsed);
    if (!(await this.confirmTarget(notePath, parsed.target))) return renderError(list, new CallError(Code.CANCELLED, "Not listed: the call was not confirmed."));
    let methods;
    try {
      methods = await this.host.discover(parsed, signal);
    } catch (e) {
      return renderError(list, CallError.from(e));
    }
    list.empty();
    if (methods.length === 0) list.createDiv({ text: "The server lists no services." });
    let service = "";
    for (const m of methods) {
      const [svc, name] = m.method.split("/");
      if (svc !== service) {
        service = svc ?? "";
        list.createDiv({ cls: "grpc-callouts-discovery-service", text: service });
      }
      const row = list.createDiv({ cls: "grpc-callouts-discovery-method" });
      row.createSpan({ cls: "grpc-callouts-discovery-name", text: name ?? "" });
      row.createSpan({ cls: "grpc-callouts-discovery-kind", text: ` ${methodKindLabel(m.kind)} · ${m.input.typeName}` });
      const insert = row.createEl("button", { text: "Insert call", cls: "grpc-callouts-insert-call", attr: { type: "button", "aria-label": `Insert a call to ${m.method}` } });
      insert.addEventListener("click", (evt) => {
        evt.stopPropagation();
        void this.insertCall(notePath, key, blockSpec, m.method, m.kind, requestTemplate(m.input));
      });
    }
  }

  /** Writes a `grpc` block calling `method` below the block `key`, with Vault.process. */
  async insertCall(notePath: string, key: string, blockSpec: CallSpec, method: string, kind: MethodKind, template: JsonValue): Promise<boolean> {
    const spec = createCallSpec(method, {
      target: blockSpec.target,
      proto: blockSpec.proto,
      importPaths: blockSpec.importPaths,
      tls: blockSpec.tls,
      metadata: blockSpec.metadata,
      requests: [template],
    });
    const fence = grpcFence(specToYaml(spec, { manyRequests: clientStreams(kind) }));
    const file = this.app.vault.getAbstractFileByPath(notePath);
    if (!(file instanceof TFile)) return false;
    let done = false;
    await this.app.vault.process(file, (data) => {
      const next = insertBelow(data, key, fence);
      done = next !== null;
      return next ?? data;
    });
    new Notice(done ? `Inserted a call to ${method}.` : "Could not find the block in the note any more.");
    return done;
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
        const { path, r } = atCursor(editor, view);
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
      id: "list-services",
      name: "List the services of the block's target",
      editorCheckCallback: (checking, editor, view) => {
        const { path, r } = atCursor(editor, view);
        const parsed = r?.block == null ? null : parseBlock(r.block.source, { defaults: path === undefined ? {} : this.frontmatterDefaults(path) });
        const ok = path !== undefined && r !== undefined && parsed?.ok === true && parsed.spec.target !== null;
        if (checking) return ok;
        if (!ok || parsed?.ok !== true || r === undefined || path === undefined) return true;
        const modal = new DiscoveryModal(this.app, (list, signal) => this.discoverInto(list, path, r.key, parsed.spec, signal));
        modal.open();
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

/** A plain render child for a block's own listeners. */
class MarkdownRenderChildOf extends MarkdownRenderChild {}

function substituteFor(spec: CallSpec, variables: Record<string, string>): CallSpec | CallError {
  return substituteVariables(spec, { variables, env: process.env });
}

function renderError(el: HTMLElement, e: CallError): void {
  el.empty();
  el.createDiv({ cls: "grpc-callouts-error", text: `${e.codeName}: ${e.message}` });
  if (e.hint !== undefined) el.createDiv({ cls: "grpc-callouts-hint", text: e.hint });
}

/** The note path and the runnable under the editor's cursor, if any. */
function atCursor(editor: Editor, view: MarkdownView | MarkdownFileInfo): { path: string | undefined; r: Runnable | undefined } {
  const path = view.file?.path;
  return { path, r: path === undefined ? undefined : runnableAt(findRunnables(editor.getValue()), editor.getCursor().line) };
}
