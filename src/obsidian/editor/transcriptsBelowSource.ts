import { RangeSetBuilder, StateEffect, StateField, type EditorState, type Extension } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet } from "@codemirror/view";
import { editorInfoField } from "obsidian";
import type { CallSession } from "../CallSession";
import type { RunController } from "../RunController";
import type { SessionStore } from "../SessionStore";
import { keepFromEditor } from "../views/keepFromEditor";
import { TranscriptView } from "../views/TranscriptView";

/** Asks the field to look at the sessions again (a run started somewhere, or a transcript was cleared). */
const sessionsChanged = StateEffect.define<null>();

/** What the extension needs of the plugin. */
export interface EditorHost {
  controller: RunController;
  sessions: SessionStore;
}

/**
 * Live Preview's editor extension. While the cursor is inside a callout or a
 * `grpc` block, Obsidian shows its source and the rendered widget, with its
 * transcript, is gone; this puts the runnable's live transcript in a block
 * widget right below the source, so an edit, a Run and the result stay in
 * view. The widget only shows the session; the call belongs to the plugin.
 */
export function transcriptsBelowSource(host: EditorHost): Extension {
  const field = StateField.define<DecorationSet>({
    create: (state) => decorate(host, state),
    update: (deco, tr) => (tr.docChanged || tr.selection !== undefined || tr.effects.some((e) => e.is(sessionsChanged)) ? decorate(host, tr.state) : deco),
    provide: (f) => EditorView.decorations.from(f),
  });
  // Tells the field when a session of this note starts or ends showing a transcript.
  const watcher = ViewPlugin.define((view) => {
    const unsubscribe = host.sessions.onChange(() => {
      // Not during an update: the change may come from a click the editor is still handling.
      window.setTimeout(() => {
        if (view.dom.isConnected) view.dispatch({ effects: sessionsChanged.of(null) });
      }, 0);
    });
    return { destroy: unsubscribe };
  });
  return [field, watcher];
}

/** The widgets: one below each runnable whose source the cursor is in and whose session has a transcript. */
function decorate(host: EditorHost, state: EditorState): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const path = state.field(editorInfoField, false)?.file?.path;
  if (path === undefined) return builder.finish();
  const head = state.doc.lineAt(state.selection.main.head).number - 1;
  for (const r of host.controller.runnablesOf(state.doc.toString(), path)) {
    if (head < r.line || head > r.endLine) continue;
    const session = host.sessions.get(path, r.key);
    if (session?.transcript == null) continue;
    const end = state.doc.line(Math.min(r.endLine + 1, state.doc.lines)).to;
    builder.add(end, end, Decoration.widget({ widget: new SessionWidget(host, session), block: true, side: 1 }));
  }
  return builder.finish();
}

/** A block widget that shows one session's transcript; rebuilt freely, it owns nothing but its view. */
class SessionWidget extends WidgetType {
  private static readonly views = new WeakMap<HTMLElement, TranscriptView>();

  constructor(
    private readonly host: EditorHost,
    private readonly session: CallSession,
  ) {
    super();
  }

  override eq(other: SessionWidget): boolean {
    return other.session === this.session;
  }

  override toDOM(): HTMLElement {
    const dom = createDiv({ cls: "grpc-callouts-below-source" });
    keepFromEditor(dom);
    SessionWidget.views.set(dom, new TranscriptView(dom, this.session, this.host.controller.viewOptions(this.session)()));
    return dom;
  }

  override destroy(dom: HTMLElement): void {
    SessionWidget.views.get(dom)?.destroy();
    SessionWidget.views.delete(dom);
  }

  /** Presses inside belong to the transcript, not to the editor. */
  override ignoreEvent(): boolean {
    return true;
  }
}
