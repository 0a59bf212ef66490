// A small Obsidian host over the mock: a vault on disk, a plugin loaded as Obsidian loads it,
// and a reading-view renderer that produces the DOM Obsidian renders for callouts and code blocks.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  App,
  FileSystemAdapter,
  MarkdownRenderChild,
  MarkdownView,
  Vault,
  type MarkdownPostProcessorContext,
  type Plugin,
  type PluginManifest,
  type TFile,
} from "../__mocks__/obsidian";
import { tempDir } from "./sidecar";

/** The manifest as the plugin folder holds it. */
export const MANIFEST: PluginManifest = {
  id: "grpc-callouts",
  name: "gRPC Callouts",
  version: "0.1.0",
  minAppVersion: "1.8.7",
  description: "",
  author: "",
  isDesktopOnly: true,
  dir: ".obsidian/plugins/grpc-callouts",
};

/** A fresh vault in a temporary folder, with an app around it. */
export function createApp(files: Record<string, string> = {}): { app: App; vault: Vault; root: string } {
  const root = tempDir("grpc-callouts-vault-");
  mkdirSync(join(root, ".obsidian/plugins/grpc-callouts"), { recursive: true });
  const vault = new Vault(new FileSystemAdapter(root));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
    vault.track(path);
  }
  const app = new App(vault);
  return { app, vault, root };
}

/** The mock's view of a plugin built against the real obsidian types. */
export function mockOf(plugin: object): Plugin {
  return plugin as Plugin;
}

/** Plugins loaded by a test file, so that one left loaded by a failing test is unloaded after the file (tests/support/cleanup.ts). */
export const loadedPlugins = new Set<object>();

/** Loads a plugin the way Obsidian does: construct, then load (awaiting an async onload). */
export async function loadPlugin<T extends object>(Ctor: new (app: never, manifest: never) => T, app: App): Promise<T> {
  const plugin = new Ctor(app as never, MANIFEST as never);
  loadedPlugins.add(plugin);
  const mock = mockOf(plugin);
  const onload: () => unknown = mock.onload.bind(mock);
  let pending: unknown;
  mock.onload = () => {
    pending = onload();
  };
  mock.load();
  await pending;
  app.workspace.setLayoutReady();
  return plugin;
}

/** Opens a note in a Markdown view with its text in the editor. */
export async function openNote(app: App, path: string, mode: "source" | "preview" = "preview"): Promise<MarkdownView> {
  const file = app.vault.getFileByPath(path) as TFile;
  await app.metadataCache.index(file);
  const view = new MarkdownView();
  view.file = file;
  view.mode = mode;
  view.editor.setValue(await app.vault.read(file));
  app.workspace.activeView = view;
  return view;
}

interface Section {
  lineStart: number;
  lineEnd: number;
  el: HTMLElement;
  children: MarkdownRenderChild[];
}

/** A rendered note in reading view: its sections and their render children. */
export interface RenderedNote {
  root: HTMLElement;
  sections: Section[];
  /** Unloads every render child and removes the DOM, as closing the note does. */
  close(): void;
}

/** Options of renderNote. */
export interface RenderOptions {
  /** Make getSectionInfo return null, as Obsidian sometimes does. */
  noSectionInfo?: boolean;
}

/**
 * Renders a note as Obsidian's reading view does for what our notes hold:
 * paragraphs, callouts (folded ones collapsed, wikilinks as a.internal-link),
 * missing image embeds and fenced code blocks, then runs the plugin's
 * code-block processors and post-processors on each section.
 */
export async function renderNote(app: App, pluginObject: object, path: string, options: RenderOptions = {}): Promise<RenderedNote> {
  const plugin = mockOf(pluginObject);
  const file = app.vault.getFileByPath(path) as TFile;
  const text = await app.vault.read(file);
  const lines = text.split("\n");
  const root = document.body.createDiv({ cls: "markdown-preview-view markdown-rendered" });
  const sizer = root.createDiv({ cls: "markdown-preview-sizer markdown-preview-section" });
  const sections: Section[] = [];
  let i = 0;
  if (lines[0] === "---") {
    i = lines.indexOf("---", 1) + 1;
  }
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    let end = i;
    const el = sizer.createDiv();
    if (/^(`{3,}|~{3,})/.test(line)) {
      const fence = /^(`{3,}|~{3,})/.exec(line)?.[1] ?? "```";
      end = i + 1;
      while (end < lines.length && !(lines[end] ?? "").startsWith(fence)) end++;
      renderFence(el, lines.slice(i, end + 1));
    } else if (line.startsWith(">")) {
      while (end + 1 < lines.length && (lines[end + 1] ?? "").startsWith(">")) end++;
      renderQuote(el, lines.slice(i, end + 1));
    } else if (/^#{1,6}\s/.test(line)) {
      const level = /^#+/.exec(line)?.[0].length ?? 1;
      renderParagraph(el.createEl(`h${level}` as "h1"), line.replace(/^#+\s+/, ""));
    } else {
      while (end + 1 < lines.length && (lines[end + 1] ?? "").trim() !== "" && !/^(>|```|~~~|#{1,6}\s)/.test(lines[end + 1] ?? "")) end++;
      renderParagraph(el.createEl("p"), lines.slice(i, end + 1).join(" "));
    }
    sections.push({ lineStart: i, lineEnd: end, el, children: [] });
    i = end + 1;
  }
  for (const section of sections) {
    const ctx: MarkdownPostProcessorContext = {
      docId: "doc",
      sourcePath: path,
      frontmatter: null,
      addChild: (child) => {
        section.children.push(child);
        child.load();
      },
      getSectionInfo: (el) =>
        options.noSectionInfo === true || !section.el.contains(el) ? null : { text, lineStart: section.lineStart, lineEnd: section.lineEnd },
    };
    await processRendered(plugin, section.el, ctx);
  }
  return {
    root,
    sections,
    close: () => {
      for (const s of sections) for (const c of s.children.splice(0)) c.unload();
      root.detach();
    },
  };
}

/** Runs a plugin's code-block processors and post-processors on a rendered element, as Obsidian does after rendering. */
export async function processRendered(plugin: Plugin, el: HTMLElement, ctx: MarkdownPostProcessorContext): Promise<void> {
  for (const code of Array.from(el.querySelectorAll<HTMLElement>("pre > code"))) {
    const lang = /language-(\S+)/.exec(code.className)?.[1] ?? "";
    const handler = plugin.codeBlockProcessors.get(lang);
    if (handler === undefined) continue;
    const pre = code.parentElement as HTMLElement;
    const box = createDiv({ cls: `block-language-${lang}` });
    pre.replaceWith(box);
    await handler(code.textContent ?? "", box, ctx);
  }
  for (const p of plugin.postProcessors) await p(el, ctx);
}

function renderParagraph(el: HTMLElement, md: string): void {
  const re = /(!?)\[\[([^\]|]+)(?:\|([^\]]+))?\]\]/g;
  let last = 0;
  for (let m = re.exec(md); m !== null; m = re.exec(md)) {
    renderInline(el, md.slice(last, m.index));
    const target = m[2] ?? "";
    if (m[1] === "!") {
      // An embed of a file the vault does not have renders as an unresolved embed.
      el.createSpan({ cls: "internal-embed is-unresolved", attr: { src: target, alt: target } });
    } else {
      el.createEl("a", { cls: "internal-link", text: m[3] ?? target, attr: { "data-href": target, href: target } });
    }
    last = m.index + m[0].length;
  }
  renderInline(el, md.slice(last));
}

/** Text with Obsidian's `**strong**` and `` `code` `` spans. */
function renderInline(el: HTMLElement, text: string): void {
  for (const part of text.split(/(\*\*[^*]+\*\*|`[^`]+`)/)) {
    if (/^\*\*[^*]+\*\*$/.test(part)) el.createEl("strong", { text: part.slice(2, -2) });
    else if (/^`[^`]+`$/.test(part)) el.createEl("code", { text: part.slice(1, -1) });
    else if (part !== "") el.appendText(part);
  }
}

/** Renders a fenced code block as Obsidian does. */
export function renderFence(parent: HTMLElement, lines: string[]): void {
  const lang = /^(?:`{3,}|~{3,})\s*([\w-]*)/.exec(lines[0] ?? "")?.[1] ?? "";
  const pre = parent.createEl("pre", { cls: lang === "" ? "" : `language-${lang}` });
  pre.createEl("code", { cls: lang === "" ? "" : `language-${lang} is-loaded`, text: `${lines.slice(1, -1).join("\n")}\n` });
}

/** Renders a block quote or callout as Obsidian does. */
export function renderQuote(parent: HTMLElement, lines: string[]): void {
  const body = lines.map((l) => l.replace(/^>\s?/, ""));
  const head = /^\[!([^\]]+)\]([+-]?)\s*(.*)$/.exec(body[0] ?? "");
  if (head === null) {
    renderBlocks(parent.createEl("blockquote"), body);
    return;
  }
  const type = (head[1] ?? "").toLowerCase();
  const fold = head[2] ?? "";
  const callout = parent.createDiv({ cls: "callout", attr: { "data-callout": type, "data-callout-metadata": "", "data-callout-fold": fold } });
  if (fold !== "") callout.addClass("is-collapsible");
  if (fold === "-") callout.addClass("is-collapsed");
  const title = callout.createDiv({ cls: "callout-title", attr: { dir: "auto" } });
  title.createDiv({ cls: "callout-icon" });
  const inner = title.createDiv({ cls: "callout-title-inner" });
  renderParagraph(inner, head[3] === "" ? type.charAt(0).toUpperCase() + type.slice(1) : (head[3] ?? ""));
  const content = callout.createDiv({ cls: "callout-content" });
  if (fold !== "") {
    title.createDiv({ cls: "callout-fold" + (fold === "-" ? " is-collapsed" : "") });
    // Obsidian toggles a foldable callout when its title is clicked.
    title.addEventListener("click", () => {
      const collapsed = !callout.hasClass("is-collapsed");
      callout.toggleClass("is-collapsed", collapsed);
      title.querySelector(".callout-fold")?.toggleClass("is-collapsed", collapsed);
      content.toggle(!collapsed);
    });
  }
  if (fold === "-") content.hide();
  renderBlocks(content, body.slice(1));
}

function renderBlocks(parent: HTMLElement, lines: string[]): void {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (/^(`{3,}|~{3,})/.test(line)) {
      let end = i + 1;
      while (end < lines.length && !/^(`{3,}|~{3,})\s*$/.test(lines[end] ?? "")) end++;
      renderFence(parent, lines.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (line.startsWith(">")) {
      // A quote or callout nested in this one.
      let end = i;
      while (end + 1 < lines.length && (lines[end + 1] ?? "").startsWith(">")) end++;
      renderQuote(parent.createDiv(), lines.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    let end = i;
    while (end + 1 < lines.length && (lines[end + 1] ?? "").trim() !== "" && !/^(`{3,}|~{3,}|>)/.test(lines[end + 1] ?? "")) end++;
    renderParagraph(parent.createEl("p"), lines.slice(i, end + 1).join(" "));
    i = end + 1;
  }
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 15_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A vault holding `Note.md`, the plugin loaded with `settings` in its data.json, and the note
 * rendered; `close` closes the note, unloads the plugin and waits for its sidecar to stop.
 */
export async function setupNote<T extends object & { stopped: Promise<unknown> }>(Ctor: new (app: never, manifest: never) => T, note: string, settings: Record<string, unknown> = {}) {
  const env = createApp({ "Note.md": note });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify(settings));
  const plugin = await loadPlugin(Ctor, env.app);
  const rendered = await renderNote(env.app, plugin, "Note.md");
  return {
    ...env,
    plugin,
    rendered,
    close: async (): Promise<void> => {
      rendered.close();
      mockOf(plugin).unload();
      await plugin.stopped;
    },
  };
}
