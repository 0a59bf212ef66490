/**
 * Obsidian's DOM extensions (createEl, createDiv, empty, setText, addClass, …), installed
 * on a window the way Obsidian installs them. Used by the mock host and by the browser check.
 */

type DomInfo = {
  cls?: string | string[];
  text?: string | DocumentFragment;
  attr?: Record<string, string | number | boolean | null>;
  title?: string;
  parent?: Node;
  value?: string;
  type?: string;
  prepend?: boolean;
  placeholder?: string;
  href?: string;
};

function applyInfo(el: HTMLElement | SVGElement, o: DomInfo | string | undefined): void {
  const info: DomInfo = typeof o === "string" ? { cls: o } : (o ?? {});
  if (info.cls !== undefined) el.addClass(...(Array.isArray(info.cls) ? info.cls : info.cls.split(" ")).filter((c) => c !== ""));
  if (info.text !== undefined) el.setText(info.text);
  if (info.attr !== undefined) el.setAttrs(info.attr);
  if (info.title !== undefined) el.setAttribute("title", info.title);
  if (info.value !== undefined) (el as HTMLInputElement).value = info.value;
  if (info.type !== undefined) (el as HTMLInputElement).type = info.type;
  if (info.placeholder !== undefined) (el as HTMLInputElement).placeholder = info.placeholder;
  if (info.href !== undefined) (el as HTMLAnchorElement).href = info.href;
}

function create<T extends HTMLElement | SVGElement>(parent: Node | null, el: T, o: DomInfo | string | undefined, cb?: (el: T) => void): T {
  applyInfo(el, o);
  const info = typeof o === "object" ? o : undefined;
  const target = info?.parent ?? parent;
  if (target !== null && target !== undefined) {
    if (info?.prepend === true) target.insertBefore(el, target.firstChild);
    else target.appendChild(el);
  }
  cb?.(el);
  return el;
}

/** Installs Obsidian's DOM extensions into a jsdom window. */
export function installDomHelpers(win: Window & typeof globalThis): void {
  const NodeP = win.Node.prototype as Node & Record<string, unknown>;
  const ElP = win.Element.prototype as Element & Record<string, unknown>;
  const HtmlP = win.HTMLElement.prototype as HTMLElement & Record<string, unknown>;
  const doc = win.document;
  Object.assign(NodeP, {
    detach(this: Node) {
      this.parentNode?.removeChild(this);
    },
    empty(this: Node) {
      while (this.firstChild !== null) this.removeChild(this.firstChild);
    },
    insertAfter<T extends Node>(this: Node, node: T, child: Node | null): T {
      this.insertBefore(node, child === null ? this.firstChild : child.nextSibling);
      return node;
    },
    indexOf(this: Node, other: Node) {
      return Array.prototype.indexOf.call(this.childNodes, other);
    },
    setChildrenInPlace(this: Node, children: Node[]) {
      (this as Node & { empty(): void }).empty();
      for (const c of children) this.appendChild(c);
    },
    appendText(this: Node, val: string) {
      this.appendChild(doc.createTextNode(val));
    },
    instanceOf(this: Node, type: new () => unknown) {
      return this instanceof type;
    },
    createEl(this: Node, tag: string, o?: DomInfo | string, cb?: (el: HTMLElement) => void) {
      return create(this, doc.createElement(tag), o, cb);
    },
    createDiv(this: Node, o?: DomInfo | string, cb?: (el: HTMLElement) => void) {
      return create(this, doc.createElement("div"), o, cb);
    },
    createSpan(this: Node, o?: DomInfo | string, cb?: (el: HTMLElement) => void) {
      return create(this, doc.createElement("span"), o, cb);
    },
    createSvg(this: Node, tag: string, o?: DomInfo | string, cb?: (el: SVGElement) => void) {
      return create(this, doc.createElementNS("http://www.w3.org/2000/svg", tag), o, cb);
    },
  });
  Object.defineProperty(NodeP, "doc", { get(this: Node) { return this.ownerDocument ?? doc; }, configurable: true });
  Object.defineProperty(NodeP, "win", { get(this: Node) { return (this.ownerDocument ?? doc).defaultView ?? win; }, configurable: true });
  Object.assign(ElP, {
    getText(this: Element) {
      return this.textContent ?? "";
    },
    setText(this: Element, val: string | DocumentFragment) {
      if (typeof val === "string") this.textContent = val;
      else {
        this.textContent = "";
        this.appendChild(val);
      }
    },
    addClass(this: Element, ...classes: string[]) {
      this.classList.add(...classes);
    },
    addClasses(this: Element, classes: string[]) {
      this.classList.add(...classes);
    },
    removeClass(this: Element, ...classes: string[]) {
      this.classList.remove(...classes);
    },
    removeClasses(this: Element, classes: string[]) {
      this.classList.remove(...classes);
    },
    toggleClass(this: Element, classes: string | string[], value: boolean) {
      for (const c of Array.isArray(classes) ? classes : [classes]) this.classList.toggle(c, value);
    },
    hasClass(this: Element, cls: string) {
      return this.classList.contains(cls);
    },
    setAttr(this: Element, name: string, value: string | number | boolean | null) {
      if (value === null) this.removeAttribute(name);
      else this.setAttribute(name, String(value));
    },
    setAttrs(this: Element, obj: Record<string, string | number | boolean | null>) {
      for (const [k, v] of Object.entries(obj)) (this as Element & { setAttr(n: string, v: unknown): void }).setAttr(k, v);
    },
    getAttr(this: Element, name: string) {
      return this.getAttribute(name);
    },
    matchParent(this: Element, selector: string, lastParent?: Element) {
      for (let el: Element | null = this.closest("*"); el !== null && el !== lastParent; el = el.parentElement) {
        if (el.matches(selector)) return el;
      }
      return null;
    },
    find(this: Element, selector: string) {
      return this.querySelector(selector);
    },
    findAll(this: Element, selector: string) {
      return Array.from(this.querySelectorAll(selector));
    },
  });
  Object.assign(HtmlP, {
    show(this: HTMLElement) {
      this.style.removeProperty("display");
    },
    hide(this: HTMLElement) {
      this.style.display = "none";
    },
    toggle(this: HTMLElement, show: boolean) {
      if (show) this.style.removeProperty("display");
      else this.style.display = "none";
    },
    isShown(this: HTMLElement) {
      return this.style.display !== "none";
    },
    onClickEvent(this: HTMLElement, listener: (ev: MouseEvent) => unknown, options?: boolean | AddEventListenerOptions) {
      this.addEventListener("click", listener, options);
    },
    trigger(this: HTMLElement, eventType: string) {
      this.dispatchEvent(new win.Event(eventType, { bubbles: true }));
    },
  });
  const g = win as unknown as Record<string, unknown>;
  g["createEl"] = (tag: string, o?: DomInfo | string, cb?: (el: HTMLElement) => void) => create(null, doc.createElement(tag), o, cb);
  g["createDiv"] = (o?: DomInfo | string, cb?: (el: HTMLElement) => void) => create(null, doc.createElement("div"), o, cb);
  g["createSpan"] = (o?: DomInfo | string, cb?: (el: HTMLElement) => void) => create(null, doc.createElement("span"), o, cb);
  g["createSvg"] = (tag: string, o?: DomInfo | string, cb?: (el: SVGElement) => void) =>
    create(null, doc.createElementNS("http://www.w3.org/2000/svg", tag), o, cb);
  g["createFragment"] = (cb?: (f: DocumentFragment) => void) => {
    const f = doc.createDocumentFragment();
    cb?.(f);
    return f;
  };
  g["activeWindow"] = win;
  g["activeDocument"] = doc;
  // Outside jest's jsdom environment (the benchmarks), the window is not the global object.
  if ((globalThis as unknown) !== win) {
    for (const k of ["createEl", "createDiv", "createSpan", "createSvg", "createFragment", "activeWindow", "activeDocument"]) {
      (globalThis as Record<string, unknown>)[k] = g[k];
    }
  }
}


