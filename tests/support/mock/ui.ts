// The mock obsidian module: notices, modals, settings and their components.
import type { App } from "./workspace";

// ── UI ─────────────────────────────────────────────────────────────────────

/** Notices shown, newest last, for tests to read. */
export const shownNotices: string[] = [];

/** A transient message. */
export class Notice {
  noticeEl: HTMLElement;
  constructor(message: string | DocumentFragment, _duration?: number) {
    const text = typeof message === "string" ? message : (message.textContent ?? "");
    shownNotices.push(text);
    this.noticeEl = createDiv({ cls: "notice", text });
  }
  setMessage(message: string | DocumentFragment): this {
    this.noticeEl.setText(message);
    return this;
  }
  hide(): void {}
}

/** Modals opened, for tests to read. */
export const openedModals: Modal[] = [];

/** A modal dialog. */
export class Modal {
  containerEl: HTMLElement;
  modalEl: HTMLElement;
  titleEl: HTMLElement;
  contentEl: HTMLElement;
  constructor(readonly app: App) {
    this.containerEl = createDiv({ cls: "modal-container" });
    this.modalEl = this.containerEl.createDiv({ cls: "modal" });
    this.titleEl = this.modalEl.createDiv({ cls: "modal-title" });
    this.contentEl = this.modalEl.createDiv({ cls: "modal-content" });
  }
  open(): void {
    document.body.appendChild(this.containerEl);
    openedModals.push(this);
    this.onOpen();
  }
  close(): void {
    this.onClose();
    this.containerEl.detach();
  }
  onOpen(): void {}
  onClose(): void {}
  setTitle(title: string): this {
    this.titleEl.setText(title);
    return this;
  }
  setContent(content: string | DocumentFragment): this {
    this.contentEl.setText(content);
    return this;
  }
}

abstract class ValueComponent<T> {
  protected changeHandlers: Array<(value: T) => unknown> = [];
  abstract getValue(): T;
  abstract setValue(value: T): this;
  onChange(cb: (value: T) => unknown): this {
    this.changeHandlers.push(cb);
    return this;
  }
  protected fire(): void {
    for (const h of this.changeHandlers) void h(this.getValue());
  }
}

/** What text inputs and text areas share, as in obsidian.d.ts. */
export class AbstractTextComponent<T extends HTMLInputElement | HTMLTextAreaElement> extends ValueComponent<string> {
  constructor(readonly inputEl: T) {
    super();
    this.inputEl.addEventListener("input", () => this.fire());
  }
  getValue(): string {
    return this.inputEl.value;
  }
  setValue(value: string): this {
    this.inputEl.value = value;
    return this;
  }
  setPlaceholder(placeholder: string): this {
    this.inputEl.placeholder = placeholder;
    return this;
  }
}

/** A text input. */
export class TextComponent extends AbstractTextComponent<HTMLInputElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl("input", { type: "text" }));
  }
}

/** A multi-line text input. */
export class TextAreaComponent extends AbstractTextComponent<HTMLTextAreaElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl("textarea"));
  }
}

/** A button. */
export class ButtonComponent {
  buttonEl: HTMLButtonElement;
  constructor(containerEl: HTMLElement) {
    this.buttonEl = containerEl.createEl("button");
  }
  setButtonText(name: string): this {
    this.buttonEl.setText(name);
    return this;
  }
  setCta(): this {
    this.buttonEl.addClass("mod-cta");
    return this;
  }
  setWarning(): this {
    this.buttonEl.addClass("mod-warning");
    return this;
  }
  setDisabled(disabled: boolean): this {
    this.buttonEl.disabled = disabled;
    return this;
  }
  onClick(callback: (evt: MouseEvent) => unknown): this {
    this.buttonEl.addEventListener("click", (e) => void callback(e));
    return this;
  }
}

/** A toggle. */
export class ToggleComponent extends ValueComponent<boolean> {
  toggleEl: HTMLElement;
  private on = false;
  constructor(containerEl: HTMLElement) {
    super();
    this.toggleEl = containerEl.createDiv({ cls: "checkbox-container" });
    this.toggleEl.addEventListener("click", () => {
      this.setValue(!this.on);
      this.fire();
    });
  }
  getValue(): boolean {
    return this.on;
  }
  setValue(on: boolean): this {
    this.on = on;
    this.toggleEl.toggleClass("is-enabled", on);
    return this;
  }
}

/** A dropdown. */
export class DropdownComponent extends ValueComponent<string> {
  selectEl: HTMLSelectElement;
  constructor(containerEl: HTMLElement) {
    super();
    this.selectEl = containerEl.createEl("select", { cls: "dropdown" });
    this.selectEl.addEventListener("change", () => this.fire());
  }
  addOption(value: string, display: string): this {
    this.selectEl.createEl("option", { value, text: display });
    return this;
  }
  addOptions(options: Record<string, string>): this {
    for (const [v, d] of Object.entries(options)) this.addOption(v, d);
    return this;
  }
  getValue(): string {
    return this.selectEl.value;
  }
  setValue(value: string): this {
    this.selectEl.value = value;
    return this;
  }
}

/** One row of a settings tab. */
export class Setting {
  settingEl: HTMLElement;
  infoEl: HTMLElement;
  nameEl: HTMLElement;
  descEl: HTMLElement;
  controlEl: HTMLElement;
  components: unknown[] = [];
  constructor(containerEl: HTMLElement) {
    this.settingEl = containerEl.createDiv({ cls: "setting-item" });
    this.infoEl = this.settingEl.createDiv({ cls: "setting-item-info" });
    this.nameEl = this.infoEl.createDiv({ cls: "setting-item-name" });
    this.descEl = this.infoEl.createDiv({ cls: "setting-item-description" });
    this.controlEl = this.settingEl.createDiv({ cls: "setting-item-control" });
  }
  setName(name: string | DocumentFragment): this {
    this.nameEl.setText(name);
    return this;
  }
  setDesc(desc: string | DocumentFragment): this {
    this.descEl.setText(desc);
    return this;
  }
  setClass(cls: string): this {
    this.settingEl.addClass(cls);
    return this;
  }
  setHeading(): this {
    this.settingEl.addClass("setting-item-heading");
    return this;
  }
  addText(cb: (c: TextComponent) => unknown): this {
    const c = new TextComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addToggle(cb: (c: ToggleComponent) => unknown): this {
    const c = new ToggleComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addTextArea(cb: (c: TextAreaComponent) => unknown): this {
    const c = new TextAreaComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  /** As Obsidian 1.11.4 adds it: any component made on the control element. */
  addComponent<T>(cb: (el: HTMLElement) => T): this {
    this.components.push(cb(this.controlEl));
    return this;
  }
  addButton(cb: (c: ButtonComponent) => unknown): this {
    const c = new ButtonComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
  addDropdown(cb: (c: DropdownComponent) => unknown): this {
    const c = new DropdownComponent(this.controlEl);
    this.components.push(c);
    cb(c);
    return this;
  }
}

/**
 * Obsidian 1.11.4's SecretComponent: picks a secret of the keychain by its
 * name (the component's value is the secret's id, never its value). The
 * mock shows the chosen name on a button; `choose` stands in for the user
 * picking or creating one.
 */
export class SecretComponent {
  readonly buttonEl: HTMLButtonElement;
  private value = "";
  private change: (value: string) => unknown = () => undefined;
  constructor(_app: unknown, containerEl: HTMLElement) {
    this.buttonEl = containerEl.createEl("button", { cls: "mod-secret" });
    this.buttonEl.setText("Link a secret");
    secretComponents.set(this.buttonEl, this);
  }
  setValue(value: string): this {
    this.value = value;
    this.buttonEl.setText(value === "" ? "Link a secret" : value);
    return this;
  }
  onChange(cb: (value: string) => unknown): this {
    this.change = cb;
    return this;
  }
  /** Test helper: the user links the secret `id`. */
  choose(id: string): void {
    this.setValue(id);
    void this.change(id);
  }
  getValue(): string {
    return this.value;
  }
}

/** Test helper: the SecretComponent behind a button. */
export const secretComponents = new WeakMap<HTMLElement, SecretComponent>();
