// A Live Preview stand-in on the real CodeMirror 6 packages Obsidian ships (@codemirror/state,
// @codemirror/view), in jsdom: the note's callouts and top-level `grpc` blocks render as block
// widgets through the plugin's own post-processor and code-block processor, with getSectionInfo
// null; the widget is replaced by its source while the selection is inside it, and a mousedown that
// reaches a widget moves the selection into it, as Obsidian's Live Preview does. The plugin's
// registered editor extensions run in the same editor.
import { EditorState, RangeSetBuilder, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";
import { containerBlocks } from "../../src/core/note/containerBlocks";
import { frontmatterEnd } from "../../src/core/note/findRunnables";
import { editorInfoField, MarkdownRenderChild, MarkdownView, type App, type MarkdownPostProcessorContext, type Plugin, type TFile } from "../__mocks__/obsidian";
import { processRendered, renderFence, renderQuote } from "./host";

/** jsdom has no layout: CodeMirror measures ranges, which get empty boxes here. */
function shimLayout(): void {
  const rect = { x: 0, y: 0, top: 0, left: 0, bottom: 0, right: 0, width: 0, height: 0, toJSON: () => ({}) };
  const proto = Range.prototype as unknown as { getClientRects?: () => unknown; getBoundingClientRect?: () => unknown };
  proto.getClientRects ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] });
  proto.getBoundingClientRect ??= () => rect;
}

/** A rendered stretch of the note: a callout or a `grpc` block, lines `from`..`to` (0-based). */
interface Region {
  from: number;
  to: number;
}

/** Top-level callouts and code blocks, as Live Preview renders them. */
function regionsOf(text: string): Region[] {
  const lines = text.split("\n");
  const first = frontmatterEnd(lines);
  return containerBlocks(lines.slice(first), first).map((b) => ({ from: b.line, to: b.endLine }));
}

/** How many widgets the stand-in has built and destroyed, for the tests. */
export const widgetLog = { built: 0, destroyed: 0 };

/** The rendered form of one region, with the plugin's processors run on it. */
class RenderedWidget extends WidgetType {
  private static readonly children = new WeakMap<HTMLElement, MarkdownRenderChild[]>();

  constructor(
    private readonly source: string,
    private readonly from: number,
    private readonly plugin: Plugin,
    private readonly path: string,
  ) {
    super();
  }

  override eq(other: RenderedWidget): boolean {
    return other.source === this.source && other.from === this.from;
  }

  override toDOM(view: EditorView): HTMLElement {
    widgetLog.built++;
    const lines = this.source.split("\n");
    const dom = createDiv({ cls: `cm-embed-block ${lines[0]?.startsWith(">") === true ? "cm-callout" : "cm-preview-code-block"}` });
    if (lines[0]?.startsWith(">") === true) renderQuote(dom, lines);
    else renderFence(dom, lines);
    const children: MarkdownRenderChild[] = [];
    RenderedWidget.children.set(dom, children);
    const ctx: MarkdownPostProcessorContext = {
      docId: "live-preview",
      sourcePath: this.path,
      frontmatter: null,
      addChild: (child) => {
        children.push(child);
        child.load();
      },
      // Live Preview gives widgets no section info.
      getSectionInfo: () => null,
    };
    void processRendered(this.plugin, dom, ctx);
    // Obsidian moves the cursor into a widget that a mousedown reaches, and the widget turns to source.
    dom.addEventListener("mousedown", () => view.dispatch({ selection: { anchor: this.from } }));
    return dom;
  }

  override destroy(dom: HTMLElement): void {
    widgetLog.destroyed++;
    for (const c of RenderedWidget.children.get(dom) ?? []) c.unload();
  }

  override ignoreEvent(): boolean {
    return false;
  }
}

/** Live Preview's rendering: every region the selection is not in becomes its widget. */
function livePreview(plugin: Plugin, path: string): Extension {
  const build = (state: EditorState): DecorationSet => {
    const builder = new RangeSetBuilder<Decoration>();
    const head = state.doc.lineAt(state.selection.main.head).number - 1;
    const text = state.doc.toString();
    for (const r of regionsOf(text)) {
      if (head >= r.from && head <= r.to) continue;
      const from = state.doc.line(r.from + 1).from;
      const to = state.doc.line(r.to + 1).to;
      builder.add(from, to, Decoration.replace({ widget: new RenderedWidget(state.sliceDoc(from, to), from, plugin, path), block: true }));
    }
    return builder.finish();
  };
  return StateField.define<DecorationSet>({
    create: build,
    update: (deco, tr) => (tr.docChanged || tr.selection !== undefined ? build(tr.state) : deco),
    provide: (f) => EditorView.decorations.from(f),
  });
}

/** A note open in Live Preview: the editor, its pane, and helpers to move the cursor. */
export interface LivePreviewNote {
  view: EditorView;
  /** The line (0-based) the cursor is put on. */
  cursorTo(line: number): void;
  /** The rendered callouts and blocks now in the editor. */
  widgets(): HTMLElement[];
  close(): void;
}

/** Opens `path` in a Live Preview stand-in, with the plugin's editor extensions, in a pane of the app's workspace. */
export async function openLivePreview(app: App, plugin: Plugin, path: string): Promise<LivePreviewNote> {
  shimLayout();
  const file = app.vault.getFileByPath(path) as TFile;
  const text = await app.vault.read(file);
  await app.metadataCache.index(file);
  const pane = new MarkdownView();
  pane.file = file;
  pane.mode = "source";
  pane.editor.setValue(text);
  const leaf = app.workspace.openLeaf(pane);
  const parent = document.body.createDiv({ cls: "workspace-leaf markdown-source-view is-live-preview" });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      // The cursor starts at the end of the note, outside every callout.
      selection: { anchor: text.length },
      extensions: [
        editorInfoField.init(() => ({ file })),
        livePreview(plugin, path),
        ...plugin.editorExtensions,
        // The pane's editor reads what the user typed, as Obsidian's does.
        EditorView.updateListener.of((u) => {
          if (u.docChanged) pane.editor.setValue(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    cursorTo: (line) => view.dispatch({ selection: { anchor: view.state.doc.line(line + 1).from } }),
    widgets: () => Array.from(view.dom.querySelectorAll<HTMLElement>(".cm-embed-block")),
    close: () => {
      view.destroy();
      parent.detach();
      leaf.detach();
    },
  };
}
