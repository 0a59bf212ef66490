import { MarkdownRenderChild } from "obsidian";
import type { CallSession } from "../CallSession";
import { TranscriptView, type TranscriptViewOptions } from "./TranscriptView";

/**
 * The render child of one Run button: it shows the session's transcript in
 * `transcriptParent` while the section is on screen. Re-rendering the section
 * (or a Live Preview widget being rebuilt) only removes this view: the call
 * belongs to the session, which the plugin owns, and the next rendering
 * attaches to it again. The session is looked up once the element is in the
 * document, since Live Preview renders a widget before inserting it, and
 * where it is tells which runnable it shows.
 */
export class RunChild extends MarkdownRenderChild {
  private view: TranscriptView | null = null;
  private session: CallSession | null = null;
  private waiting: number | null = null;

  constructor(
    containerEl: HTMLElement,
    private readonly sessionOf: () => CallSession,
    private readonly transcriptParent: HTMLElement,
    private readonly viewOptions: (session: CallSession) => () => TranscriptViewOptions,
    /** Told when the session's transcript is first shown here. */
    private readonly onShown: () => void = () => undefined,
  ) {
    super(containerEl);
  }

  override onload(): void {
    this.attachWhenPlaced(10);
  }

  override onunload(): void {
    if (this.waiting !== null) window.cancelAnimationFrame(this.waiting);
    this.waiting = null;
    this.view?.destroy();
    this.view = null;
  }

  /** Attaches to the session now if the element is in the document, else after up to `frames` frames. */
  private attachWhenPlaced(frames: number): void {
    if (!this.containerEl.isConnected && frames > 0) {
      this.waiting = window.requestAnimationFrame(() => {
        this.waiting = null;
        this.attachWhenPlaced(frames - 1);
      });
      return;
    }
    const session = this.sessionOf();
    this.session = session;
    this.register(session.subscribe(() => this.sync()));
    this.sync();
  }

  /** The view, made when the session first has a transcript. */
  private sync(): void {
    const session = this.session;
    if (session !== null && this.view === null && session.transcript !== null) {
      this.view = new TranscriptView(this.transcriptParent, session, this.viewOptions(session)());
      this.onShown();
    }
  }
}
