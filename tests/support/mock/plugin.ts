// The mock obsidian module: the plugin base class, settings tabs and small helpers.
import type { Extension } from "@codemirror/state";
import { parse as parseYaml_ } from "yaml";
import { Component, type MarkdownRenderChild } from "./components";
import type { App, Editor, MarkdownView } from "./workspace";

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
  /** The editor extensions the plugin registered, for the Live Preview stand-in's editor. */
  readonly editorExtensions: Extension[] = [];
  registerEditorExtension(extension: Extension): void {
    this.editorExtensions.push(extension);
    this.register(() => this.editorExtensions.splice(this.editorExtensions.indexOf(extension), 1));
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
