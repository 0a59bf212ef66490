import { MarkdownView, type App, type Component, type TAbstractFile } from "obsidian";
import type { SessionStore } from "./SessionStore";

/** How long a note may be shown in no pane before its calls are cancelled: a quick navigation back keeps them. */
export const CLOSE_GRACE_MS = 5000;

/**
 * The plugin, not the DOM, owns a call's lifetime. Re-renders, Live Preview
 * widgets and scrolling come and go; a note's sessions end only when no pane
 * has shown the note for CLOSE_GRACE_MS, or when the note is deleted (then
 * their calls are cancelled and they are forgotten). A renamed note keeps its
 * sessions under its new path.
 */
export class SessionLifetimes {
  private readonly closing = new Map<string, number>();

  constructor(
    private readonly app: App,
    private readonly sessions: SessionStore,
    private readonly graceMs = CLOSE_GRACE_MS,
  ) {}

  /** Follows the workspace and the vault for as long as `owner` is loaded. */
  attach(owner: Component): void {
    owner.registerEvent(this.app.workspace.on("layout-change", () => this.check()));
    owner.registerEvent(this.app.vault.on("rename", (file: TAbstractFile, oldPath: string) => this.sessions.rename(oldPath, file.path)));
    owner.registerEvent(this.app.vault.on("delete", (file: TAbstractFile) => this.sessions.clearNote(file.path)));
    owner.register(() => {
      for (const timer of this.closing.values()) window.clearTimeout(timer);
      this.closing.clear();
    });
  }

  /** The notes some pane shows now. */
  private openNotes(): Set<string> {
    const open = new Set<string>();
    for (const leaf of this.app.workspace.getLeavesOfType("markdown")) {
      const path = leaf.view instanceof MarkdownView ? leaf.view.file?.path : undefined;
      if (path !== undefined) open.add(path);
    }
    return open;
  }

  /** Starts the grace period of every note with sessions that no pane shows, and stops it for notes shown again. */
  check(): void {
    const open = this.openNotes();
    for (const [path, timer] of this.closing) {
      if (open.has(path)) {
        window.clearTimeout(timer);
        this.closing.delete(path);
      }
    }
    for (const path of this.sessions.notes()) {
      if (open.has(path) || this.closing.has(path)) continue;
      this.closing.set(
        path,
        window.setTimeout(() => {
          this.closing.delete(path);
          if (!this.openNotes().has(path)) this.sessions.clearNote(path);
        }, this.graceMs),
      );
    }
  }
}
