import { MarkdownView, Notice, TFile, type App } from "obsidian";
import { containerBlocks } from "../core/note/containerBlocks";
import { findRunnables, type Runnable } from "../core/note/findRunnables";
import { blocksFromSections } from "./processors/blocksFromSections";
import type { MethodKind } from "../core/spec/MethodKind";
import { describeOutbound, type OutboundRequest } from "../core/run/OutboundRequest";
import { planRun, type NoteContext, type RunOptions } from "../core/run/planRun";
import { runAll } from "../core/run/runAll";
import type { CallRecord } from "../core/run/CallRecord";
import { nameOf, noteCalls, runOrder, withDependencies as dependenciesOf, type NoteCalls } from "../core/run/noteCalls";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { parseBlock } from "../core/spec/parseBlock";
import { specForRunnable } from "../core/spec/specForRunnable";
import type { CallSpec } from "../core/spec/CallSpec";
import { bufCurlCommand, connectCurlCommand } from "../core/spec/bufCurlCommand";
import { grpcurlCommand } from "../core/spec/grpcurlCommand";
import { TOKEN_HEADER } from "../sidecar/handshake";
import { startRun } from "../core/run/startRun";
import type { ParseResult } from "../core/spec/parseBlock";
import { toMarkdown } from "../core/transcript/toMarkdown";
import type { Transcript } from "../core/transcript/Transcript";
import { startCall, type RunHost } from "../call/startCall";
import type { CallSession } from "./CallSession";
import { ConfirmModal } from "./views/ConfirmModal";
import type { SessionStore } from "./SessionStore";
import { variablesFor, type GrpcCalloutsSettings } from "./settings";
import { secretStorageOf, secretValues } from "./secretStorage";
import type { TranscriptViewOptions } from "./views/TranscriptView";

/** Where a Run button points: a runnable of a note, as far as the DOM tells. */
export interface RunTarget {
  notePath: string;
  key: string;
  label: string;
  /** From the DOM, used when the note's text cannot be read. */
  pattern: MethodKind | null;
}

/** What the controller needs of the plugin. */
export interface RunControllerHost {
  readonly app: App;
  readonly settings: GrpcCalloutsSettings;
  readonly sessions: SessionStore;
  /** The run host shared by every call, made on first use. */
  readonly host: RunHost;
  saveSettings(): Promise<void>;
  /** The sidecar's port when it runs, for commands that reach it from outside. */
  sidecarPort(): number | null;
}

/**
 * Runs the plugin's runnables through the one orchestrator: it reads the
 * note's current text and frontmatter, asks before calls leave the machine
 * (once per note and target), and shows every run in its session.
 */
export class RunController {
  private parsed: { text: string; runnables: Runnable[] } | null = null;
  /** What each note's named calls brought back in this session, by note path and call name. */
  private readonly records = new Map<string, Map<string, CallRecord>>();
  private readonly confirmedTargets = new Set<string>();
  /** The session whose call finished last, for "Save the last transcript". */
  lastFinished: CallSession | null = null;

  constructor(private readonly plugin: RunControllerHost) {}

  /** The plugin's settings, as they are now. */
  get settings(): GrpcCalloutsSettings {
    return this.plugin.settings;
  }

  /** The app the plugin runs in. */
  get app(): App {
    return this.plugin.app;
  }

  /**
   * The note's runnables, parsed once per text: from Obsidian's metadata-cache
   * sections of the note at `path` while they fit the text, else from the text.
   */
  runnablesOf(text: string, path?: string): Runnable[] {
    if (this.parsed?.text === text) return this.parsed.runnables;
    const file = path === undefined ? null : this.plugin.app.vault.getAbstractFileByPath(path);
    const sections = file instanceof TFile ? this.plugin.app.metadataCache.getFileCache(file)?.sections : undefined;
    const runnables = findRunnables(text, (lines, first) => blocksFromSections(text, sections, first) ?? containerBlocks(lines, first));
    this.parsed = { text, runnables };
    return runnables;
  }

  /** The run host shared by every call. */
  get host(): RunHost {
    return this.plugin.host;
  }

  /**
   * The options every run of the plugin shares, from the settings: the
   * variables of the note's environment (its frontmatter pin, else the
   * active one) over the global ones, and, given the note's calls, what
   * they brought back in this session.
   */
  runOptions(notePath?: string, calls?: NoteCalls): RunOptions {
    const s = this.plugin.settings;
    const pinned = notePath === undefined ? undefined : this.noteContext(notePath).defaults["env"];
    const records = notePath === undefined ? undefined : this.recordsOf(notePath);
    return {
      pacing: { count: s.demoCount, intervalMs: s.demoIntervalMs },
      defaultDeadlineMs: s.defaultDeadlineMs > 0 ? s.defaultDeadlineMs : null,
      sources: {
        variables: variablesFor(s, pinned, secretValues(secretStorageOf(this.plugin.app), s.secretVariables)),
        env: process.env,
        envAllowed: s.envAllowed,
        ...(calls === undefined || records === undefined ? {} : { calls: { names: new Set(calls.byName.keys()), records, duplicates: calls.duplicates, secretPaths: calls.secretPaths } }),
      },
      extraImportPaths: [],
    };
  }

  /** The environment a note's runs use: its frontmatter pin, else the active one; "" for none. */
  environmentOf(notePath: string | undefined): string {
    const pinned = notePath === undefined ? undefined : this.noteContext(notePath).defaults["env"];
    return typeof pinned === "string" && pinned !== "" ? pinned : this.plugin.settings.activeEnvironment;
  }

  private recordsOf(notePath: string): Map<string, CallRecord> {
    let m = this.records.get(notePath);
    if (m === undefined) {
      m = new Map();
      this.records.set(notePath, m);
    }
    return m;
  }

  /** The note's path and its frontmatter `grpc:` defaults, from the metadata cache. */
  noteContext(path: string): NoteContext {
    const file = this.plugin.app.vault.getAbstractFileByPath(path);
    const grpc: unknown = file instanceof TFile ? this.plugin.app.metadataCache.getFileCache(file)?.frontmatter?.["grpc"] : undefined;
    const defaults = typeof grpc === "object" && grpc !== null && !Array.isArray(grpc) ? (grpc as Record<string, unknown>) : {};
    return { path, defaults };
  }

  /** The spec a runnable would run with, as the orchestrator plans it (for headers and discovery). */
  specFor(notePath: string, r: Runnable): ParseResult {
    return planRun(r, this.noteContext(notePath), this.runOptions(notePath));
  }

  /** Runs a target: the runnable is looked up again in the note's current text. */
  async runTarget(target: RunTarget): Promise<Transcript | null> {
    const text = await this.noteText(target.notePath);
    const runnable = text === null ? undefined : this.runnablesOf(text, target.notePath).find((r) => r.key === target.key);
    const r: Runnable =
      runnable ?? ({ kind: "callout", key: target.key, line: 0, endLine: 0, label: target.label, pattern: target.pattern, block: null } satisfies Runnable);
    return this.runRunnable(target.notePath, r);
  }

  /**
   * Runs one runnable of a note in its session. With "Run referenced calls
   * first" on, the named calls it refers to that have not run in this
   * session run first, in order.
   */
  async runRunnable(notePath: string, r: Runnable, withDependencies = true): Promise<Transcript | null> {
    const text = await this.noteText(notePath);
    const calls = noteCalls(text === null ? [r] : this.runnablesOf(text, notePath));
    if (withDependencies && this.plugin.settings.runReferencedFirst) {
      const order = dependenciesOf(r, calls);
      if (order instanceof CallError) {
        new Notice(order.message);
      } else {
        for (const dep of order) {
          const name = nameOf(dep);
          if (dep !== r && name !== null && !this.recordsOf(notePath).has(name)) await this.runRunnable(notePath, dep, false);
        }
      }
    }
    const session = this.plugin.sessions.ensure(notePath, r.key, r.label);
    const started = startRun(r, this.noteContext(notePath), this.runOptions(notePath, calls), {
      call: (spec) => startCall(spec, this.host),
      confirm: (o) => this.confirm(o),
      now: () => performance.now(),
      records: this.recordsOf(notePath),
    });
    const t = await session.run(started, this.plugin.settings.maxRows, this.plugin.settings.maxTranscriptMb * 1024 * 1024);
    if (started.spec !== null) this.lastFinished = session;
    return t;
  }

  /** Re-runs a session's runnable from the note as it is now: edits and new variable values count. */
  rerun(session: CallSession): Promise<Transcript | null> {
    return this.runTarget({ notePath: session.notePath, key: session.key, label: session.label, pattern: null });
  }

  /** Runs every runnable of a note, one after another or all at once as the settings say. */
  async runAll(path: string, text: string): Promise<Array<Transcript | null>> {
    const rs = this.runnablesOf(text, path);
    if (rs.length === 0) {
      new Notice("This note has no pattern callouts or gRPC blocks.");
      return [];
    }
    // Every call after the calls it refers to; a cycle runs nothing and says which calls form it.
    const calls = noteCalls(rs);
    const ordered = runOrder(rs, calls);
    if (ordered instanceof CallError) {
      new Notice(ordered.message);
      return [];
    }
    const chained = rs.some((r) => (calls.references.get(r) ?? []).length > 0);
    const results = await runAll(ordered, chained ? "sequential" : this.plugin.settings.runAllMode, (r) => this.runRunnable(path, r, false));
    const ok = results.filter((t) => t?.state === "done").length;
    new Notice(`Ran ${rs.length} call${rs.length === 1 ? "" : "s"}: ${ok} as expected, ${rs.length - ok} not.`);
    return results;
  }

  /** Asks once per note and target before calling a server off this machine, when the setting says so; says what leaves the machine. */
  async confirm(o: OutboundRequest): Promise<boolean> {
    if (!this.plugin.settings.confirmOutbound) return true;
    const key = `${o.notePath}\u0000${o.target}`;
    if (this.confirmedTargets.has(key)) return true;
    const modal = new ConfirmModal(this.plugin.app, "Call a server on another machine?", describeOutbound(o), "Call it");
    modal.open();
    const yes = await modal.answer;
    if (yes) this.confirmedTargets.add(key);
    return yes;
  }

  /** The options of a session's transcript view. */
  viewOptions(session: CallSession): () => TranscriptViewOptions {
    return () => ({
      showTimestamps: this.plugin.settings.showTimestamps,
      view: this.plugin.settings.transcriptView,
      onViewChange: (view) => {
        this.plugin.settings.transcriptView = view;
        void this.plugin.saveSettings();
      },
      compact: this.plugin.settings.compact,
      maxJsonChars: 2000,
      onRerun: () => void this.rerun(session),
      onCopy: (md) => void copyToClipboard(md),
      onCopyGrpcurl: () => void this.copyGrpcurl(session.notePath, session.key),
      toMarkdown,
    });
  }

  /**
   * The grpcurl command that makes a runnable's call, from its block as
   * written (variables stay `"$NAME"` placeholders), or an error value when
   * the runnable is gone or its block does not parse.
   */
  async grpcurlFor(notePath: string, key: string): Promise<string | CallError> {
    const spec = await this.writtenSpec(notePath, key);
    if (spec instanceof CallError) return spec;
    if (spec.protocol !== "grpc") {
      const name = spec.protocol === "connect" ? "Connect" : "gRPC-Web";
      const curl = spec.protocol === "connect" ? ` For a unary method, plain curl works too: ${connectCurlCommand(spec)}` : "";
      return new CallError(Code.UNIMPLEMENTED, `grpcurl speaks plain gRPC only, and this call uses ${name}.`, { hint: `buf curl makes it: ${bufCurlCommand(spec)}.${curl}` });
    }
    const port = this.plugin.sidecarPort();
    return grpcurlCommand(spec, { address: `127.0.0.1:${port ?? "PORT"}`, tokenHeader: TOKEN_HEADER });
  }

  /** The buf curl command of a gRPC-Web or Connect call, for when grpcurl cannot make it. */
  async bufCurlFor(notePath: string, key: string): Promise<string | null> {
    const spec = await this.writtenSpec(notePath, key);
    return spec instanceof CallError || spec.protocol === "grpc" ? null : bufCurlCommand(spec);
  }

  /** A runnable's spec as its block is written (variables unfilled), with the deadline the run would have. */
  private async writtenSpec(notePath: string, key: string): Promise<CallSpec | CallError> {
    const text = await this.noteText(notePath);
    const r = text === null ? undefined : this.runnablesOf(text, notePath).find((x) => x.key === key);
    if (r === undefined) return new CallError(Code.NOT_FOUND, "The call is not in the note any more.");
    const parsed = r.block !== null ? parseBlock(r.block.source, { firstLine: r.block.fenceLine + 2, defaults: this.noteContext(notePath).defaults }) : specForRunnable(r, { pacing: this.runOptions().pacing });
    if (!parsed.ok) return parsed.error;
    const defaultDeadline = this.runOptions().defaultDeadlineMs;
    if (parsed.spec.deadlineMs === null && !parsed.spec.interactive) parsed.spec.deadlineMs = defaultDeadline;
    return parsed.spec;
  }

  /** Copies a runnable's grpcurl command, or says why there is none. */
  async copyGrpcurl(notePath: string, key: string): Promise<void> {
    const command = await this.grpcurlFor(notePath, key);
    if (command instanceof CallError) {
      // grpcurl cannot speak gRPC-Web or Connect: the buf curl command that can goes to the clipboard instead.
      const alternative = command.code === Code.UNIMPLEMENTED ? await this.bufCurlFor(notePath, key) : null;
      if (alternative !== null) {
        await navigator.clipboard.writeText(alternative).catch(() => undefined);
        new Notice(`${command.message} Copied the buf curl command instead.`);
        return;
      }
      new Notice(`No grpcurl command: ${command.message}`);
      return;
    }
    try {
      await navigator.clipboard.writeText(command);
      new Notice("Copied the grpcurl command; variables are shell placeholders.");
    } catch {
      new Notice("Could not copy to the clipboard.");
    }
  }

  private async noteText(path: string): Promise<string | null> {
    const file = this.plugin.app.vault.getAbstractFileByPath(path);
    if (!(file instanceof TFile)) return null;
    const view = this.plugin.app.workspace.getActiveViewOfType(MarkdownView);
    if (view?.file?.path === path && view.getMode() === "source") return view.editor.getValue();
    return this.plugin.app.vault.cachedRead(file);
  }
}

async function copyToClipboard(markdown: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(markdown);
    new Notice("Transcript copied as Markdown.");
  } catch {
    new Notice("Could not copy to the clipboard.");
  }
}
