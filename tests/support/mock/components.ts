// The mock obsidian module: events and the component lifecycle (see tests/__mocks__/obsidian.ts).

// ── Events, components ─────────────────────────────────────────────────────

/** An event registration handle. */
export interface EventRef {
  off(): void;
}

/** Obsidian's Component: lifecycle plus cleanup of everything registered. */
export class Component {
  _loaded = false;
  private _children: Component[] = [];
  private _cleanups: Array<() => unknown> = [];

  load(): void {
    if (this._loaded) return;
    this._loaded = true;
    this.onload();
    for (const c of this._children) c.load();
  }
  onload(): void {}
  unload(): void {
    if (!this._loaded) return;
    this._loaded = false;
    for (const c of this._children.splice(0)) c.unload();
    for (const fn of this._cleanups.splice(0).reverse()) fn();
    this.onunload();
  }
  onunload(): void {}
  addChild<T extends Component>(component: T): T {
    this._children.push(component);
    if (this._loaded) component.load();
    return component;
  }
  removeChild<T extends Component>(component: T): T {
    const i = this._children.indexOf(component);
    if (i >= 0) {
      this._children.splice(i, 1);
      component.unload();
    }
    return component;
  }
  register(cb: () => unknown): void {
    this._cleanups.push(cb);
  }
  registerEvent(ref: EventRef): void {
    this.register(() => ref.off());
  }
  registerDomEvent(el: EventTarget, type: string, callback: (evt: never) => unknown, options?: boolean | AddEventListenerOptions): void {
    const cb = callback as EventListener;
    el.addEventListener(type, cb, options);
    this.register(() => el.removeEventListener(type, cb, options));
  }
  registerInterval(id: number): number {
    this.register(() => clearInterval(id));
    return id;
  }
  /** Test probe: cleanups still registered. */
  get registeredCount(): number {
    return this._cleanups.length + this._children.reduce((n, c) => n + c.registeredCount, 0);
  }
}

/** A component tied to an element of rendered Markdown. */
export class MarkdownRenderChild extends Component {
  containerEl: HTMLElement;
  constructor(containerEl: HTMLElement) {
    super();
    this.containerEl = containerEl;
  }
}


/** Obsidian's Events: named callbacks; `on` returns the reference that `offref` (and `registerEvent`) removes. */
export class Events {
  private readonly handlers = new Map<string, Set<(...data: unknown[]) => unknown>>();
  on(name: string, callback: (...data: never[]) => unknown, ctx?: unknown): EventRef {
    const cb = (ctx === undefined ? callback : callback.bind(ctx)) as (...data: unknown[]) => unknown;
    let set = this.handlers.get(name);
    if (set === undefined) this.handlers.set(name, (set = new Set()));
    set.add(cb);
    return { off: () => set.delete(cb) };
  }
  offref(ref: EventRef): void {
    ref.off();
  }
  trigger(name: string, ...data: unknown[]): void {
    for (const cb of [...(this.handlers.get(name) ?? [])]) cb(...data);
  }
  /** Test helper: how many callbacks listen to `name`. */
  listenerCount(name: string): number {
    return this.handlers.get(name)?.size ?? 0;
  }
}
