import { Modal, type App } from "obsidian";

/** Lists a server's methods, each with "Insert call", in a modal: discovery from the command palette. */
export class DiscoveryModal extends Modal {
  private readonly abort = new AbortController();

  constructor(
    app: App,
    private readonly fill: (list: HTMLElement, signal: AbortSignal) => Promise<void>,
  ) {
    super(app);
  }

  override onOpen(): void {
    this.setTitle("Services");
    const list = this.contentEl.createDiv({ cls: "grpc-callouts-discovery" });
    void this.fill(list, this.abort.signal);
  }

  override onClose(): void {
    this.abort.abort();
    this.contentEl.empty();
  }
}
