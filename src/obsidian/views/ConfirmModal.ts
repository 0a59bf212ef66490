import { Modal, Setting, type App } from "obsidian";

/** Asks a yes-or-no question; resolves true only when the user confirms. */
export class ConfirmModal extends Modal {
  private answered = false;
  private resolve: (yes: boolean) => void = () => undefined;
  /** Settles when the user answers or closes the modal. */
  readonly answer: Promise<boolean>;

  constructor(
    app: App,
    private readonly title: string,
    private readonly message: string | readonly string[],
    private readonly confirmText: string,
  ) {
    super(app);
    this.answer = new Promise((r) => (this.resolve = r));
  }

  override onOpen(): void {
    this.setTitle(this.title);
    for (const line of typeof this.message === "string" ? [this.message] : this.message) this.contentEl.createEl("p", { text: line });
    new Setting(this.contentEl)
      .addButton((b) =>
        b
          .setButtonText(this.confirmText)
          .setCta()
          .onClick(() => this.finish(true)),
      )
      .addButton((b) => b.setButtonText("Cancel").onClick(() => this.finish(false)));
  }

  override onClose(): void {
    this.contentEl.empty();
    this.finish(false);
  }

  private finish(yes: boolean): void {
    if (this.answered) return;
    this.answered = true;
    this.resolve(yes);
    this.close();
  }
}
