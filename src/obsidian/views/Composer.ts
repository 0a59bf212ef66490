import type { JsonValue } from "../../core/json/JsonValue";
import { parseYamlValue } from "../../core/spec/parseYamlValue";
import type { CallError } from "../../core/errors/CallError";

/**
 * The composer of an interactive call: type a message as YAML or JSON and
 * press Send (or Ctrl+Enter). Problems show under it, and the text stays.
 */
export class Composer {
  readonly el: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly error: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly send: (json: JsonValue) => Promise<CallError | null>,
  ) {
    this.el = parent.createDiv({ cls: "grpc-callouts-composer grpc-callouts-hidden" });
    this.input = this.el.createEl("textarea", {
      cls: "grpc-callouts-composer-input",
      attr: { rows: 3, placeholder: "A message as YAML or JSON, then Send (Ctrl+Enter)", "aria-label": "Message to send" },
    });
    const button = this.el.createEl("button", { cls: "grpc-callouts-send mod-cta", text: "Send", attr: { type: "button" } });
    this.error = this.el.createDiv({ cls: "grpc-callouts-error" });
    button.addEventListener("click", (evt) => {
      evt.stopPropagation();
      void this.submit();
    });
    this.input.addEventListener("keydown", (evt) => {
      evt.stopPropagation();
      if (evt.key === "Enter" && (evt.ctrlKey || evt.metaKey)) {
        evt.preventDefault();
        void this.submit();
      }
    });
  }

  /** Sends the text as one message. */
  private async submit(): Promise<void> {
    const text = this.input.value;
    let json: JsonValue;
    try {
      json = text.trim() === "" ? {} : parseYamlValue(text);
    } catch (e) {
      this.error.setText(`Not valid YAML or JSON: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      return;
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      this.error.setText("A message is a mapping of fields, like {text: hello}.");
      return;
    }
    const error = await this.send(json);
    if (error !== null) {
      this.error.setText(`${error.message}${error.hint === undefined ? "" : ` ${error.hint}`}`);
      return;
    }
    this.error.setText("");
    this.input.value = "";
  }
}
