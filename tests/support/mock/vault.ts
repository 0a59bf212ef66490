// The mock obsidian module: files, the vault on a real folder, and the metadata cache.
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse as parseYaml_ } from "yaml";
import { sectionsOf } from "../obsidianSections";
import { Events } from "./components";

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
  async remove(normalizedPath: string): Promise<void> {
    await rm(join(this.basePath, normalizedPath));
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
  getFiles(): TFile[] {
    return [...this.files.values()];
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
  /** Renames (moves) a file on disk, then says so with a "rename" event, as Obsidian's file manager does. */
  async rename(file: TFile, newPath: string): Promise<void> {
    const oldPath = file.path;
    const to = normalizePath(newPath);
    await this.adapter.write(to, await this.adapter.read(oldPath));
    await this.adapter.remove(oldPath);
    this.files.delete(oldPath);
    file.path = to;
    file.name = to.split("/").pop() ?? to;
    file.basename = file.name.replace(/\.[^.]*$/, "");
    this.files.set(to, file);
    this.trigger("rename", file, oldPath);
  }
  /** Deletes a file, then says so with a "delete" event. */
  async delete(file: TFile): Promise<void> {
    await this.adapter.remove(file.path);
    this.files.delete(file.path);
    this.trigger("delete", file);
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
  /** The file a link points to, resolved as Obsidian does for what the tests use: a path, or a file name anywhere in the vault. */
  getFirstLinkpathDest(linkpath: string, _sourcePath: string): TFile | null {
    const exact = this.vault.getFileByPath(linkpath);
    if (exact !== null) return exact;
    const name = linkpath.split("/").pop() ?? linkpath;
    return this.vault.getFiles().find((f) => f.name === name || f.basename === name) ?? null;
  }
  getFileCache(file: TFile): { frontmatter?: Record<string, unknown>; sections?: SectionCache[] } | null {
    return this.meta.get(file.path) ?? null;
  }
}
