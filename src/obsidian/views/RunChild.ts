import { MarkdownRenderChild } from "obsidian";
import type { CallSession } from "../CallSession";
import { TranscriptView, type TranscriptViewOptions } from "./TranscriptView";

/**
 * The render child of one Run button: it shows the session's transcript in
 * `transcriptParent` while the section is on screen, and cancels the
 * session's running call when the section re-renders or the note closes.
 * The transcript itself lives on in the session.
 */
export class RunChild extends MarkdownRenderChild {
  private view: TranscriptView | null = null;

  constructor(
    containerEl: HTMLElement,
    private readonly session: CallSession,
    private readonly transcriptParent: HTMLElement,
    private readonly viewOptions: () => TranscriptViewOptions,
  ) {
    super(containerEl);
  }

  override onload(): void {
    this.sync();
    this.register(this.session.subscribe(() => this.sync()));
  }

  override onunload(): void {
    this.view?.destroy();
    this.view = null;
    this.session.cancel();
  }

  /** The view, made when the session first has a transcript. */
  private sync(): void {
    if (this.view === null && this.session.transcript !== null) {
      this.view = new TranscriptView(this.transcriptParent, this.session, this.viewOptions());
    }
  }
}
