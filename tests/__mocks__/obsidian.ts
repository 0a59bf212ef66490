/**
 * A stand-in for the `obsidian` module, faithful to the parts of obsidian.d.ts
 * the plugin uses, over jsdom. Obsidian's DOM helpers (createEl, createDiv,
 * empty, setText, addClass, …) are installed on the DOM prototypes the way
 * Obsidian installs them. File access goes to a real folder on disk.
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse as parseYaml_ } from "yaml";

// ── DOM helpers, as Obsidian installs them (shared with the browser check) ──
import { installDomHelpers } from "../support/domHelpers";
import { sectionsOf } from "../support/obsidianSections";
export { installDomHelpers };

if (typeof window !== "undefined") installDomHelpers(window);

// ── Events, components ─────────────────────────────────────────────────────

/** An event registration handle. */
export interface EventRef {
  off(): void;
}

/** Obsidian's Component: lifecycle plus cleanup of everything registered. */
export class Component {
  _loaded = false;
  private _children: Component[] = [];
  private _cleanups: Array<() => unknown> = [];

  load(): void {
    if (this._loaded) return;
    this._loaded = true;
    this.onload();
    for (const c of this._children) c.load();
  }
  onload(): void {}
  unload(): void {
    if (!this._loaded) return;
    this._loaded = false;
    for (const c of this._children.splice(0)) c.unload();
    for (const fn of this._cleanups.splice(0).reverse()) fn();
    this.onunload();
  }
  onunload(): void {}
  addChild<T extends Component>(component: T): T {
    this._children.push(component);
    if (this._loaded) component.load();
    return component;
  }
  removeChild<T extends Component>(component: T): T {
    const i = this._children.indexOf(component);
    if (i >= 0) {
      this._children.splice(i, 1);
      component.unload();
    }
    return component;
  }
  register(cb: () => unknown): void {
    this._cleanups.push(cb);
  }
  registerEvent(ref: EventRef): void {
    this.register(() => ref.off());
  }
  registerDomEvent(el: EventTarget, type: string, callback: (evt: never) => unknown, options?: boolean | AddEventListenerOptions): void {
    const cb = callback as EventListener;
    el.addEventListener(type, cb, options);
    this.register(() => el.removeEventListener(type, cb, options));
  }
  registerInterval(id: number): number {
    this.register(() => clearInterval(id));
    return id;
  }
  /** Test probe: cleanups still registered. */
  get registeredCount(): number {
    return this._cleanups.length + this._children.reduce((n, c) => n + c.registeredCount, 0);
  }
}

/** A component tied to an element of rendered Markdown. */
export class MarkdownRenderChild extends Component {
  containerEl: HTMLElement;
  constructor(containerEl: HTMLElement) {
    super();
    this.containerEl = containerEl;
  }
}

// ── Files and the vault ────────────────────────────────────────────────────

/** A file or folder of the vault. */
export class TAbstractFile {
  vault!: Vault;
  path = "";
  name = "";
  parent: TFolder | null = null;
}

/** A file of the vault. */
export class TFile extends TAbstractFile {
  stat = { ctime: 0, mtime: 0, size: 0 };
  basename = "";
  extension = "";
}

/** A folder of the vault. */
export class TFolder extends TAbstractFile {
  children: TAbstractFile[] = [];
  isRoot(): boolean {
    return this.path === "/";
  }
}

/** Vault paths: forward slashes, no leading or trailing slash. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/\/+/g, "/").replace(/^\/|\/$/g, "") || "/";
}

/** The desktop adapter over a real folder. */
export class FileSystemAdapter {
  constructor(private readonly basePath: string) {}
  getName(): string {
    return "test-vault";
  }
  getBasePath(): string {
    return this.basePath;
  }
  getFullPath(normalizedPath: string): string {
    return join(this.basePath, normalizedPath);
  }
  async exists(normalizedPath: string): Promise<boolean> {
    try {
      await stat(join(this.basePath, normalizedPath));
      return true;
    } catch {
      return false;
    }
  }
  async read(normalizedPath: string): Promise<string> {
    return readFile(join(this.basePath, normalizedPath), "utf8");
  }
  async readBinary(normalizedPath: string): Promise<ArrayBuffer> {
    const b = await readFile(join(this.basePath, normalizedPath));
    return new Uint8Array(b).buffer;
  }
  async write(normalizedPath: string, data: string): Promise<void> {
    await mkdir(dirname(join(this.basePath, normalizedPath)), { recursive: true });
    await writeFile(join(this.basePath, normalizedPath), data);
  }
  async mkdir(normalizedPath: string): Promise<void> {
    await mkdir(join(this.basePath, normalizedPath), { recursive: true });
  }
}

/** Obsidian's Events: named callbacks; `on` returns the reference that `offref` (and `registerEvent`) removes. */
export class Events {
  private readonly handlers = new Map<string, Set<(...data: unknown[]) => unknown>>();
  on(name: string, callback: (...data: never[]) => unknown, ctx?: unknown): EventRef {
    const cb = (ctx === undefined ? callback : callback.bind(ctx)) as (...data: unknown[]) => unknown;
    let set = this.handlers.get(name);
    if (set === undefined) this.handlers.set(name, (set = new Set()));
    set.add(cb);
    return { off: () => set.delete(cb) };
  }
  offref(ref: EventRef): void {
    ref.off();
  }
  trigger(name: string, ...data: unknown[]): void {
    for (const cb of [...(this.handlers.get(name) ?? [])]) cb(...data);
  }
  /** Test helper: how many callbacks listen to `name`. */
  listenerCount(name: string): number {
    return this.handlers.get(name)?.size ?? 0;
  }
}

/** The vault: files by path, reading and atomic read-modify-write; "create", "modify", "delete" and "rename" events. */
export class Vault extends Events {
  configDir = ".obsidian";
  private readonly files = new Map<string, TFile>();
  private readonly cache = new Map<string, string>();
  /** Test hook: runs inside process() between reading and writing, to simulate a concurrent edit. */
  beforeProcessWrite: ((file: TFile) => Promise<void>) | null = null;

  constructor(readonly adapter: FileSystemAdapter) {
    super();
  }

  /** Test helper: makes the vault know a file that exists on disk. */
  track(path: string): TFile {
    const f = new TFile();
    f.vault = this;
    f.path = normalizePath(path);
    f.name = f.path.split("/").pop() ?? f.path;
    f.extension = f.name.includes(".") ? (f.name.split(".").pop() ?? "") : "";
    f.basename = f.name.replace(/\.[^.]*$/, "");
    this.files.set(f.path, f);
    return f;
  }
  getName(): string {
    return "test-vault";
  }
  getAbstractFileByPath(path: string): TAbstractFile | null {
    return this.files.get(normalizePath(path)) ?? null;
  }
  getFileByPath(path: string): TFile | null {
    return this.files.get(normalizePath(path)) ?? null;
  }
  getMarkdownFiles(): TFile[] {
    return [...this.files.values()].filter((f) => f.extension === "md");
  }
  async read(file: TFile): Promise<string> {
    const text = await this.adapter.read(file.path);
    this.cache.set(file.path, text);
    return text;
  }
  async cachedRead(file: TFile): Promise<string> {
    return this.read(file);
  }
  async modify(file: TFile, data: string): Promise<void> {
    await this.adapter.write(file.path, data);
    this.cache.set(file.path, data);
    this.trigger("modify", file);
  }
  async create(path: string, data: string): Promise<TFile> {
    await this.adapter.write(normalizePath(path), data);
    const file = this.track(path);
    this.trigger("create", file);
    return file;
  }
  /** Atomically reads, modifies and saves a file: the callback sees the current text. */
  async process(file: TFile, fn: (data: string) => string): Promise<string> {
    if (this.beforeProcessWrite !== null) await this.beforeProcessWrite(file);
    const current = await this.adapter.read(file.path);
    const next = fn(current);
    await this.modify(file, next);
    return next;
  }
}

/** A position in a file, as in obsidian.d.ts. */
export interface Loc {
  line: number;
  col: number;
  offset: number;
}

/** A top-level block of a note, as the metadata cache lists it. */
export interface SectionCache {
  id?: string | undefined;
  type: string;
  position: { start: Loc; end: Loc };
}

/** Parsed metadata of files: the frontmatter and the sections, as Obsidian parses them (tests/support/obsidianSections.ts). */
export class MetadataCache {
  constructor(private readonly vault: Vault) {
    // Obsidian parses a file again after it changes; so does the mock, for files it has parsed.
    vault.on("modify", (file: TFile) => {
      if (this.meta.has(file.path)) void this.index(file);
    });
  }
  /** Test helper: cached metadata by path, filled by `index`. */
  private readonly meta = new Map<string, { frontmatter?: Record<string, unknown>; sections?: SectionCache[] }>();
  async index(file: TFile): Promise<void> {
    const text = await this.vault.read(file);
    const m = /^---\n([\s\S]*?)\n---/.exec(text);
    const sections = sectionsOf(text);
    this.meta.set(file.path, m === null ? { sections } : { frontmatter: (parseYaml_(m[1] ?? "") as Record<string, unknown>) ?? {}, sections });
  }
  getFileCache(file: TFile): { frontmatter?: Record<string, unknown>; sections?: SectionCache[] } | null {
    return this.meta.get(file.path) ?? null;
  }
}

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

/** The workspace: the active view and file. */
export class Workspace {
  activeView: MarkdownView | null = null;
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
export class App {
  readonly workspace = new Workspace();
  readonly metadataCache: MetadataCache;
  constructor(readonly vault: Vault) {
    this.metadataCache = new MetadataCache(vault);
  }
}

// ── UI ─────────────────────────────────────────────────────────────────────

/** Notices shown, newest last, for tests to read. */
export const shownNotices: string[] = [];

/** A transient message. */
export class Notice {
  noticeEl: HTMLElement;
  constructor(message: string | DocumentFragment, _duration?: number) {
    const text = typeof message === "string" ? message : (message.textContent ?? "");
    shownNotices.push(text);
    this.noticeEl = createDiv({ cls: "notice", text });
  }
  setMessage(message: string | DocumentFragment): this {
    this.noticeEl.setText(message);
    return this;
  }
  hide(): void {}
}

/** Modals opened, for tests to read. */
export const openedModals: Modal[] = [];

/** A modal dialog. */
export class Modal {
  containerEl: HTMLElement;
  modalEl: HTMLElement;
  titleEl: HTMLElement;
  contentEl: HTMLElement;
  constructor(readonly app: App) {
    this.containerEl = createDiv({ cls: "modal-container" });
    this.modalEl = this.containerEl.createDiv({ cls: "modal" });
    this.titleEl = this.modalEl.createDiv({ cls: "modal-title" });
    this.contentEl = this.modalEl.createDiv({ cls: "modal-content" });
  }
  open(): void {
    document.body.appendChild(this.containerEl);
    openedModals.push(this);
    this.onOpen();
  }
  close(): void {
    this.onClose();
    this.containerEl.detach();
  }
  onOpen(): void {}
  onClose(): void {}
  setTitle(title: string): this {
    this.titleEl.setText(title);
    return this;
  }
  setContent(content: string | DocumentFragment): this {
    this.contentEl.setText(content);
    return this;
  }
}

abstract class ValueComponent<T> {
  protected changeHandlers: Array<(value: T) => unknown> = [];
  abstract getValue(): T;
  abstract setValue(value: T): this;
  onChange(cb: (value: T) => unknown): this {
    this.changeHandlers.push(cb);
    return this;
  }
  protected fire(): void {
    for (const h of this.changeHandlers) void h(this.getValue());
  }
}

/** What text inputs and text areas share, as in obsidian.d.ts. */
export class AbstractTextComponent<T extends HTMLInputElement | HTMLTextAreaElement> extends ValueComponent<string> {
  constructor(readonly inputEl: T) {
    super();
    this.inputEl.addEventListener("input", () => this.fire());
  }
  getValue(): string {
    return this.inputEl.value;
  }
  setValue(value: string): this {
    this.inputEl.value = value;
    return this;
  }
  setPlaceholder(placeholder: string): this {
    this.inputEl.placeholder = placeholder;
    return this;
  }
}

/** A text input. */
export class TextComponent extends AbstractTextComponent<HTMLInputElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl("input", { type: "text" }));
  }
}

/** A multi-line text input. */
export class TextAreaComponent extends AbstractTextComponent<HTMLTextAreaElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl("textarea"));
  }
}

/** A button. */
export class ButtonComponent {
  buttonEl: HTMLButtonElement;
  constructor(containerEl: HTMLElement) {
    this.buttonEl = containerEl.createEl("button");
  }
  setButtonText(name: string): this {
    this.buttonEl.setText(name);
    return this;
  }
  setCta(): this {
    this.buttonEl.addClass("mod-cta");
    return this;
  }
  setWarning(): this {
    this.buttonEl.addClass("mod-warning");
    return this;
  }
  onClick(callback: (evt: MouseEvent) => unknown): this {
    this.buttonEl.addEventListener("click", (e) => void callback(e));
    return this;
  }
}

/** A toggle. */
export class ToggleComponent extends ValueComponent<boolean> {
  toggleEl: HTMLElement;
  private on = false;
  constructor(containerEl: HTMLElement) {
    super();
    this.toggleEl = containerEl.createDiv({ cls: "checkbox-container" });
    this.toggleEl.addEventListener("click", () => {
      this.setValue(!this.on);
      this.fire();
    });
  }
  getValue(): boolean {
    return this.on;
  }
  setValue(on: boolean): this {
    this.on = on;
    this.toggleEl.toggleClass("is-enabled", on);
    return this;
  }
}

/** A dropdown. */
export class DropdownComponent extends ValueComponent<string> {
  selectEl: HTMLSelectElement;
  constructor(containerEl: HTMLElement) {
    super();
    this.selectEl = containerEl.createEl("select", { cls: "dropdown" });
    this.selectEl.addEventListener("change", () => this.fire());
  }
  addOption(value: string, display: string): this {
    this.selectEl.createEl("option", { value, text: display });
    return this;
  }
  addOptions(options: Record<string, string>): this {
    for (const [v, d] of Object.entries(options)) this.addOption(v, d);
    return this;
  }
  getValue(): string {
    return this.selectEl.value;
  }
  setValue(value: string): this {
    this.selectEl.value = value;
    return this;
  }
}

/** One row of a settings tab. */
export class Setting {
  settingEl: HTMLElement;
  infoEl: HTMLElement;
  nameEl: HTMLElement;
  descEl: HTMLElement;
  controlEl: HTMLElement;
  components: unknown[] = [];
  constructor(containerEl: HTMLElement) {
    this.settingEl = containerEl.createDiv({ cls: "setting-item" });
    this.infoEl = this.settingEl.createDiv({ cls: "setting-item-info" });
    this.nameEl = this.infoEl.createDiv({ cls: "setting-item-name" });
    this.descEl = this.infoEl.createDiv({ cls: "setting-item-description" });
    this.controlEl = this.settingEl.createDiv({ cls: "setting-item-control" });
  }
  setName(name: string | DocumentFragment): this {
    this.nameEl.setText(name);
    return this;
  }
  setDesc(desc: string | DocumentFragment): this {
    this.descEl.setText(desc);
    return this;
  }
  setClass(cls: string): this {
    this.settingEl.addClass(cls);
    return this;
  }
  setHeading(): this {
    this.settingEl.addClass("setting-item-heading");
    return this;
  }
  addText(cb: (c: TextComponent) => unknown): this {
    const c = new TextComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addToggle(cb: (c: ToggleComponent) => unknown): this {
    const c = new ToggleComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addTextArea(cb: (c: TextAreaComponent) => unknown): this {
    const c = new TextAreaComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addButton(cb: (c: ButtonComponent) => unknown): this {
    const c = new ButtonComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addDropdown(cb: (c: DropdownComponent) => unknown): this {
    const c = new DropdownComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
}

// ── Plugins ────────────────────────────────────────────────────────────────

/** A plugin's manifest. */
export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  minAppVersion: string;
  description: string;
  author: string;
  isDesktopOnly?: boolean;
  dir?: string;
}

/** A command. */
export interface Command {
  id: string;
  name: string;
  hotkeys?: unknown[];
  callback?: () => unknown;
  checkCallback?: (checking: boolean) => boolean | void;
  editorCallback?: (editor: Editor, view: MarkdownView) => unknown;
  editorCheckCallback?: (checking: boolean, editor: Editor, view: MarkdownView) => boolean | void;
}

/** Context handed to post-processors. */
export interface MarkdownPostProcessorContext {
  docId: string;
  sourcePath: string;
  frontmatter: unknown;
  addChild(child: MarkdownRenderChild): void;
  getSectionInfo(el: HTMLElement): { text: string; lineStart: number; lineEnd: number } | null;
}

/** A post-processor. */
export type MarkdownPostProcessor = ((el: HTMLElement, ctx: MarkdownPostProcessorContext) => Promise<unknown> | void) & { sortOrder?: number };

/** A settings tab. */
export abstract class PluginSettingTab {
  containerEl: HTMLElement;
  constructor(
    readonly app: App,
    readonly plugin: Plugin,
  ) {
    this.containerEl = createDiv({ cls: "vertical-tab-content" });
  }
  abstract display(): void;
  hide(): void {
    this.containerEl.empty();
  }
}

/** The plugin base class. */
export class Plugin extends Component {
  readonly commands: Command[] = [];
  readonly postProcessors: MarkdownPostProcessor[] = [];
  readonly codeBlockProcessors = new Map<string, (source: string, el: HTMLElement, ctx: MarkdownPostProcessorContext) => Promise<unknown> | void>();
  readonly settingTabs: PluginSettingTab[] = [];
  readonly statusBarItems: HTMLElement[] = [];
  constructor(
    readonly app: App,
    readonly manifest: PluginManifest,
  ) {
    super();
  }
  addCommand(command: Command): Command {
    this.commands.push(command);
    return command;
  }
  addSettingTab(tab: PluginSettingTab): void {
    this.settingTabs.push(tab);
  }
  addStatusBarItem(): HTMLElement {
    const el = createDiv({ cls: "status-bar-item" });
    document.body.appendChild(el);
    this.statusBarItems.push(el);
    this.register(() => el.detach());
    return el;
  }
  registerMarkdownPostProcessor(p: MarkdownPostProcessor, sortOrder?: number): MarkdownPostProcessor {
    if (sortOrder !== undefined) p.sortOrder = sortOrder;
    this.postProcessors.push(p);
    this.register(() => this.postProcessors.splice(this.postProcessors.indexOf(p), 1));
    return p;
  }
  registerMarkdownCodeBlockProcessor(
    language: string,
    handler: (source: string, el: HTMLElement, ctx: MarkdownPostProcessorContext) => Promise<unknown> | void,
  ): MarkdownPostProcessor {
    this.codeBlockProcessors.set(language, handler);
    this.register(() => this.codeBlockProcessors.delete(language));
    const p: MarkdownPostProcessor = () => undefined;
    return p;
  }
  async loadData(): Promise<unknown> {
    const path = `${this.manifest.dir ?? ""}/data.json`;
    try {
      return JSON.parse(await this.app.vault.adapter.read(path)) as unknown;
    } catch {
      return null;
    }
  }
  async saveData(data: unknown): Promise<void> {
    await this.app.vault.adapter.write(`${this.manifest.dir ?? ""}/data.json`, JSON.stringify(data, null, 2));
  }
}

/** Obsidian's YAML parser. */
export function parseYaml(text: string): unknown {
  return parseYaml_(text);
}

/** Platform flags. */
export const Platform = { isDesktop: true, isDesktopApp: true, isMobile: false, isMobileApp: false, isMacOS: false, isWin: false, isLinux: true };

/** Sets an icon: here, records its name. */
export function setIcon(parent: HTMLElement, iconId: string): void {
  parent.setAttr("data-icon", iconId);
}
