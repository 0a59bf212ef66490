import type { App, Component, TAbstractFile } from "obsidian";
import { TFile } from "obsidian";
import { findRunnables } from "../core/note/findRunnables";
import type { Launcher } from "../sidecar/Launcher";
import type { SessionStore } from "./SessionStore";
import type { GrpcCalloutsSettings } from "./settings";

/** How long a note must stay open before the "start when a note opens" setting warms the sidecar. */
export const OPEN_NOTE_WARM_MS = 1500;

/** What warming needs of the plugin. */
export interface WarmthHost {
  readonly app: App;
  readonly settings: GrpcCalloutsSettings;
  readonly sessions: SessionStore;
  readonly launcher: Launcher;
  /** Starts the sidecar and opens the channel to it. */
  warmSidecar(): Promise<void>;
  /** Whether a launcher exists yet; warming is the only thing that makes one early. */
  readonly hasLauncher: boolean;
}

/**
 * The first click feels instant: the sidecar starts when a hand is on its
 * way to a Run button (pointer over it, or keyboard focus on it) or, with the
 * setting, once a note with runnable callouts has been open a moment. A
 * warm-up never shows an error; the click that follows starts it again and
 * reports as usual. After the setting's idle minutes without a call, the
 * sidecar stops, and the next intent starts it again.
 */
export class SidecarWarmth {
  private lastActivity = Date.now();
  private openTimer: number | null = null;

  constructor(private readonly host: WarmthHost) {}

  /** Starts following intent, open notes and idleness for as long as `owner` is loaded. */
  attach(owner: Component): void {
    owner.registerEvent(
      this.host.app.workspace.on("file-open", (file: TFile | null) => {
        if (this.openTimer !== null) window.clearTimeout(this.openTimer);
        this.openTimer = null;
        if (file === null || !this.host.settings.startWhenNoteOpens) return;
        this.openTimer = window.setTimeout(() => void this.warmForNote(file), OPEN_NOTE_WARM_MS);
      }),
    );
    owner.register(() => {
      if (this.openTimer !== null) window.clearTimeout(this.openTimer);
    });
    owner.registerInterval(window.setInterval(() => void this.stopIfIdle(), 5_000));
  }

  /** The pointer rests on a Run button, or it has focus: start the sidecar in the background, silently. */
  warm(): void {
    this.touch();
    const state = this.host.launcher.status().state;
    if (state === "ready" || state === "starting") return;
    this.host.warmSidecar().catch(() => undefined);
  }

  /**
   * A Run click on a call to the sidecar: start the process at once, before the note is read
   * and the call is planned (a few milliseconds the cold click no longer waits for); the call
   * joins the same launch and reports any failure itself.
   */
  startNow(): void {
    this.touch();
    const state = this.host.launcher.status().state;
    if (state === "ready" || state === "starting") return;
    this.host.launcher.start().catch(() => undefined);
  }

  /** Counts as activity: a run started or ended, or a hand moved to a Run button. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Stops a sidecar that has served no call for the idle setting's minutes; none is started for this. */
  async stopIfIdle(now = Date.now()): Promise<boolean> {
    const minutes = this.host.settings.sidecarIdleMinutes;
    if (this.host.sessions.running().length > 0) {
      // A call runs: that is activity, and the idle time starts again when it ends.
      this.lastActivity = now;
      return false;
    }
    if (minutes <= 0 || !this.host.hasLauncher) return false;
    if (this.host.launcher.status().state !== "ready" || now - this.lastActivity < minutes * 60_000) return false;
    await this.host.launcher.stop();
    return true;
  }

  private async warmForNote(file: TAbstractFile): Promise<void> {
    if (!(file instanceof TFile) || file.extension !== "md") return;
    const text = await this.host.app.vault.cachedRead(file);
    // Only notes whose runnables call the sidecar: pattern callouts, and blocks without a target.
    const needsSidecar = findRunnables(text).some((r) => r.block === null || !/^\s*target\s*:/m.test(r.block.source));
    if (needsSidecar) this.warm();
  }
}
