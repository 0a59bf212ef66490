import { join } from "node:path";
import { FileSystemAdapter, Notice, Plugin, TFile, normalizePath, type TAbstractFile } from "obsidian";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { Runnable } from "../core/note/findRunnables";
import { vaultPathError, VAULT_PATH_HINT } from "../core/spec/vaultPathError";
import type { Transcript } from "../core/transcript/Transcript";
import { ClientPool } from "../call/ClientPool";
import { createRunHost } from "../call/createRunHost";
import { fileRegistryOf } from "../schema/fileRegistryOf";
import { Launcher, type SidecarStatus } from "../sidecar/Launcher";
import { findPrivateDir } from "../sidecar/findPrivateDir";
import { SIDECAR_FILES } from "../sidecar/sidecarFiles";
import { sidecarLibrary, type SidecarProgram } from "../sidecar/sidecarLibrary";
import { TOKEN_HEADER } from "../sidecar/handshake";
import { registerCommands } from "./commands/registerCommands";
import { transcriptsBelowSource } from "./editor/transcriptsBelowSource";
import { processBlock } from "./processors/processBlock";
import { processCallouts } from "./processors/processCallouts";
import { RunController } from "./RunController";
import { saveTranscript } from "./saveTranscript";
import { SessionLifetimes } from "./SessionLifetimes";
import { SessionStore } from "./SessionStore";
import { SidecarWarmth } from "./SidecarWarmth";
import { DEFAULT_SETTINGS, settingsFrom, type GrpcCalloutsSettings } from "./settings";
import { SettingsTab } from "./views/SettingsTab";
import { StatusModal } from "./views/StatusModal";

/**
 * The plugin: wiring only. Run buttons on pattern callouts and `grpc` blocks,
 * commands, settings and a status bar item; the run controller does the
 * running. Nothing heavy happens at load: the sidecar starts at the first run.
 */
export default class GrpcCalloutsPlugin extends Plugin {
  settings: GrpcCalloutsSettings = { ...DEFAULT_SETTINGS };
  readonly sessions = new SessionStore();
  readonly controller = new RunController(this);
  /** Warms the sidecar on intent and stops it when idle. */
  readonly warmth = new SidecarWarmth(this);
  private launcherInstance: Launcher | null = null;
  /** The embedded sidecar program: spawned, loaded in process, and the source of main.js's grpc-js. */
  private readonly program: SidecarProgram = { dir: () => this.programDir(), source: SIDECAR_SOURCE, hash: SIDECAR_HASH };
  private pool: ClientPool | null = null;
  private hostInstance: ReturnType<typeof createRunHost> | null = null;
  private statusBarEl: HTMLElement | null = null;
  private saving: Promise<void> = Promise.resolve();
  private poolMessageMb = 0;
  /** Settles when the last unload has stopped the sidecar. */
  stopped: Promise<void> = Promise.resolve();

  override async onload(): Promise<void> {
    this.settings = settingsFrom(await this.loadData());
    this.statusBarEl = this.addStatusBarItem();
    this.statusBarEl.addClass("mod-clickable", "grpc-callouts-statusbar");
    this.registerDomEvent(this.statusBarEl, "click", () => this.openStatus());
    this.renderStatusBar(null);
    this.registerMarkdownPostProcessor((el, ctx) => processCallouts(this.controller, this.sessions, this.warmth, el, ctx));
    this.registerMarkdownCodeBlockProcessor("grpc", (source, el, ctx) => processBlock(this, source, el, ctx));
    this.addSettingTab(new SettingsTab(this.app, this));
    registerCommands(this);
    this.registerEditorExtension(transcriptsBelowSource(this));
    new SessionLifetimes(this.app, this.sessions).attach(this);
    this.warmth.attach(this);
    // Schemas from .proto files are cached; a change to one in the vault drops the cache.
    const forgetIfProto = (file: TAbstractFile): void => {
      if (file.path.endsWith(".proto")) this.hostInstance?.forget();
    };
    this.registerEvent(this.app.vault.on("modify", forgetIfProto));
    this.registerEvent(this.app.vault.on("create", forgetIfProto));
    this.registerEvent(this.app.vault.on("delete", forgetIfProto));
    this.registerEvent(this.app.vault.on("rename", forgetIfProto));
    this.app.workspace.onLayoutReady(() => {
      if (this.settings.startAtLaunch) void this.startSidecar();
    });
  }

  override onunload(): void {
    this.sessions.dispose();
    this.pool?.close();
    this.hostInstance?.close();
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
      this.hostInstance?.close();
      this.hostInstance = null;
    }
    this.launcherInstance?.configure({ runtime: this.settings.runtime, nodePath: this.settings.nodePath });
    // The status bar names the active environment.
    this.renderStatusBar(this.launcherInstance?.status() ?? null);
  }

  /** Starts the sidecar and opens the channel to it (the warm-up on intent). */
  warmSidecar(): Promise<void> {
    return this.host.warmSidecar();
  }

  /** Starts the sidecar in the background on intent, silently. */
  warm(): void {
    this.warmth.warm();
  }

  /** Starts the sidecar at once, for a Run click on a block that calls it. */
  startNow(): void {
    this.warmth.startNow();
  }

  /** The sidecar's port while it runs, else null. */
  sidecarPort(): number | null {
    const s = this.launcherInstance?.status();
    return s?.state === "ready" ? (s.port ?? null) : null;
  }

  /** Whether the launcher has been made (nothing starts one at load). */
  get hasLauncher(): boolean {
    return this.launcherInstance !== null;
  }

  /** The sidecar launcher, made on first use. */
  get launcher(): Launcher {
    if (this.launcherInstance === null) {
      this.launcherInstance = new Launcher({
        runtime: this.settings.runtime,
        nodePath: this.settings.nodePath,
        program: this.program,
        preloadLibrary: true,
        onChange: (s) => this.renderStatusBar(s),
      });
    }
    return this.launcherInstance;
  }

  /** The run host shared by every call, made on first use. */
  get host(): ReturnType<typeof createRunHost> {
    if (this.hostInstance === null) {
      this.poolMessageMb = this.settings.maxMessageMb;
      const bytes = this.settings.maxMessageMb * 1024 * 1024;
      this.pool = new ClientPool({ maxReceiveMessageBytes: bytes, maxSendMessageBytes: bytes });
      this.hostInstance = createRunHost({
        sidecar: () => this.launcher.start(),
        sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
        tokenHeader: TOKEN_HEADER,
        pool: this.pool,
        prepare: () => sidecarLibrary(this.program).then(() => undefined),
        readFile: (path) => this.readVaultFile(path),
        // The vault's index answers at once; files it does not index (hidden folders) are still read.
        exists: (path) => vaultPathError(path) === null && this.app.vault.getAbstractFileByPath(normalizePath(path)) instanceof TFile,
      });
    }
    return this.hostInstance;
  }

  /** Runs one runnable of a note in its session. */
  runRunnable(notePath: string, r: Runnable): Promise<Transcript | null> {
    return this.controller.runRunnable(notePath, r);
  }

  /** Runs every runnable of a note, as the settings say. */
  runAll(path: string, text: string): Promise<Array<Transcript | null>> {
    return this.controller.runAll(path, text);
  }

  /** Writes the last finished transcript below its run. */
  saveLastTranscript(): Promise<boolean> {
    return saveTranscript(this.app, this.controller.lastFinished);
  }

  /** Drops every cached schema (reflection, .proto files, descriptor sets); the next run reads them again. */
  reloadSchemas(): void {
    this.hostInstance?.forget();
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

  /** Reads a vault file for `proto:`, imports and `tls:`; paths that leave the vault are refused. */
  private async readVaultFile(path: string): Promise<Uint8Array> {
    const refused = vaultPathError(path);
    if (refused !== null) throw new CallError(Code.PERMISSION_DENIED, `${refused}, outside the vault.`, { hint: VAULT_PATH_HINT });
    return new Uint8Array(await this.app.vault.adapter.readBinary(normalizePath(path)));
  }

  /**
   * Where the sidecar program is written: a private per-user folder that
   * vault sync does not carry, or the plugin's own folder when none can be used.
   */
  private async programDir(): Promise<string> {
    const found = await findPrivateDir();
    if ("dir" in found) return found.dir;
    const dir = this.manifest.dir ?? join(this.app.vault.configDir, "plugins", this.manifest.id);
    const adapter = this.app.vault.adapter;
    return adapter instanceof FileSystemAdapter ? join(adapter.getBasePath(), dir) : dir;
  }

  private renderStatusBar(s: SidecarStatus | null): void {
    const el = this.statusBarEl;
    if (el === null) return;
    const state = s?.state ?? "off";
    el.setAttr("data-state", state);
    const env = this.settings.activeEnvironment === "" ? "" : ` · ${this.settings.activeEnvironment}`;
    el.setText(
      `${state === "ready" ? `gRPC: ready on port ${s?.port ?? "?"}` : state === "starting" ? "gRPC: starting…" : state === "failed" ? "gRPC: failed" : "gRPC: off"}${env}`,
    );
    el.setAttr("aria-label", "Show gRPC sidecar status");
  }
}
