// The mock obsidian module: the editor, Markdown views, the workspace and the app.
import { StateField } from "@codemirror/state";
import { Component, Events } from "./components";
import { MetadataCache, TFile, Vault } from "./vault";

// ── Editor and views ───────────────────────────────────────────────────────

/** A cursor position. */
export interface EditorPosition {
  line: number;
  ch: number;
}

/** A plain-text editor with Obsidian's Editor API. */
export class Editor {
  private text = "";
  private cursor: EditorPosition = { line: 0, ch: 0 };
  getValue(): string {
    return this.text;
  }
  setValue(text: string): void {
    this.text = text;
  }
  getLine(line: number): string {
    return this.text.split("\n")[line] ?? "";
  }
  lineCount(): number {
    return this.text.split("\n").length;
  }
  getCursor(): EditorPosition {
    return { ...this.cursor };
  }
  setCursor(pos: EditorPosition | number, ch?: number): void {
    this.cursor = typeof pos === "number" ? { line: pos, ch: ch ?? 0 } : { ...pos };
  }
  posToOffset(pos: EditorPosition): number {
    const lines = this.text.split("\n");
    let off = 0;
    for (let i = 0; i < pos.line && i < lines.length; i++) off += (lines[i] ?? "").length + 1;
    return off + pos.ch;
  }
  offsetToPos(offset: number): EditorPosition {
    const before = this.text.slice(0, offset).split("\n");
    return { line: before.length - 1, ch: (before[before.length - 1] ?? "").length };
  }
  replaceRange(replacement: string, from: EditorPosition, to?: EditorPosition): void {
    const a = this.posToOffset(from);
    const b = to === undefined ? a : this.posToOffset(to);
    this.text = this.text.slice(0, a) + replacement + this.text.slice(b);
  }
}

/** The base of item views. */
export class ItemView extends Component {}

/** A Markdown view: its file, its editor and its mode. */
export class MarkdownView extends ItemView {
  file: TFile | null = null;
  editor = new Editor();
  mode: "source" | "preview" = "source";
  getMode(): "source" | "preview" {
    return this.mode;
  }
}

/** A pane: it holds one view. */
export class WorkspaceLeaf {
  constructor(public view: MarkdownView) {}
  /** Test helper: closes the pane, as the user does. */
  detach(): void {
    this.workspace?.closeLeaf(this);
  }
  /** Set by the workspace that holds it. */
  workspace: Workspace | null = null;
}

/** The workspace: panes, the active view and file, and "layout-change" events. */
export class Workspace extends Events {
  activeView: MarkdownView | null = null;
  private readonly leaves: WorkspaceLeaf[] = [];
  /** Leaves of a view type: here, every Markdown pane. */
  getLeavesOfType(viewType: string): WorkspaceLeaf[] {
    return viewType === "markdown" ? [...this.leaves] : [];
  }
  /** Test helper: opens a pane on a view, and says so the way Obsidian does. */
  openLeaf(view: MarkdownView): WorkspaceLeaf {
    const leaf = new WorkspaceLeaf(view);
    leaf.workspace = this;
    this.leaves.push(leaf);
    this.activeView = view;
    this.trigger("layout-change");
    return leaf;
  }
  /** Test helper: closes a pane. */
  closeLeaf(leaf: WorkspaceLeaf): void {
    const i = this.leaves.indexOf(leaf);
    if (i >= 0) this.leaves.splice(i, 1);
    if (this.activeView === leaf.view) this.activeView = this.leaves.at(-1)?.view ?? null;
    this.trigger("layout-change");
  }
  private layoutReady = false;
  private readonly readyCallbacks: Array<() => unknown> = [];
  getActiveViewOfType<T>(type: new (...args: never[]) => T): T | null {
    return this.activeView instanceof type ? this.activeView : null;
  }
  getActiveFile(): TFile | null {
    return this.activeView?.file ?? null;
  }
  onLayoutReady(callback: () => unknown): void {
    if (this.layoutReady) callback();
    else this.readyCallbacks.push(callback);
  }
  /** Test helper: the layout became ready. */
  setLayoutReady(): void {
    this.layoutReady = true;
    for (const cb of this.readyCallbacks.splice(0)) cb();
  }
}

/** The app: vault, workspace and metadata cache. */
/** Obsidian 1.11.4's keychain of named secrets (ids are lowercase letters, digits and dashes). */
export class SecretStorage {
  private readonly secrets = new Map<string, string>();
  setSecret(id: string, secret: string): void {
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`Invalid secret id ${id}`);
    this.secrets.set(id, secret);
  }
  getSecret(id: string): string | null {
    return this.secrets.get(id) ?? null;
  }
  listSecrets(): string[] {
    return [...this.secrets.keys()];
  }
}

export class App {
  readonly workspace = new Workspace();
  readonly metadataCache: MetadataCache;
  /** Present from Obsidian 1.11.4; tests set it to stand in for such a version, and leave it out for older ones. */
  secretStorage?: SecretStorage;
  constructor(readonly vault: Vault) {
    this.metadataCache = new MetadataCache(vault);
  }
}

/** What an editor shows: its file (and, in Obsidian, its view and editor). */
export interface MarkdownFileInfo {
  file: TFile | null;
}

/** The editor's file, as Obsidian's editorInfoField gives it; the Live Preview stand-in sets it per editor. */
export const editorInfoField = StateField.define<MarkdownFileInfo>({ create: () => ({ file: null }), update: (v) => v });
