import { Modal, Setting, type App } from "obsidian";

/** Lists the environments, each with a button that makes it the active one, and "No environment". */
export class EnvironmentModal extends Modal {
  constructor(
    app: App,
    private readonly names: readonly string[],
    private readonly active: string,
    private readonly choose: (name: string) => void,
  ) {
    super(app);
  }

  override onOpen(): void {
    this.setTitle("Switch gRPC environment");
    if (this.names.length === 0) this.contentEl.createEl("p", { text: "No environments yet: add them in this plugin's settings, under environments." });
    for (const name of ["", ...this.names]) {
      new Setting(this.contentEl)
        .setName(name === "" ? "No environment" : name)
        .setDesc(name === this.active ? "Active" : name === "" ? "Only the global variables." : "")
        .addButton((b) => {
          b.setButtonText(name === this.active ? "Active" : "Use").onClick(() => {
            this.choose(name);
            this.close();
          });
          if (name === this.active) b.setDisabled(true);
        });
    }
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}
