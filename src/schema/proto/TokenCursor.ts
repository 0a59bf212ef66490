import { parseProtoInt } from "./protoLiterals";
import { ProtoSyntaxError, type Token } from "./tokenize";

/**
 * Reads a .proto file's tokens in order: look ahead, take, expect, and the
 * small grammar pieces every statement uses (identifiers, full names,
 * integers, constants, option names). Errors are ProtoSyntaxError
 * with file, line and column. Its members are bound, so they can be taken
 * out of it one by one.
 */
export class TokenCursor {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fileName: string,
  ) {}

  /** Whether every token has been read. */
  get atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  readonly eofToken = (): Token => {
    const last = this.tokens[this.tokens.length - 1];
    return { kind: "symbol", text: "<end of file>", line: last?.line ?? 1, column: (last?.column ?? 0) + (last?.text.length ?? 0) };
  };
  readonly peek = (o = 0): Token => this.tokens[this.pos + o] ?? this.eofToken();
  readonly fail = (message: string, t: Token = this.peek()): never => {
    throw new ProtoSyntaxError(message, this.fileName, t.line, t.column);
  };
  readonly next = (): Token => {
    const t = this.peek();
    if (this.pos >= this.tokens.length) this.fail("unexpected end of file");
    this.pos++;
    return t;
  };
  readonly is = (text: string, o = 0): boolean => this.peek(o).kind !== "string" && this.peek(o).text === text;
  readonly expect = (text: string): Token => (this.is(text) ? this.next() : this.fail(`expected "${text}", found "${this.peek().text}"`));
  readonly ident = (what: string): Token => (this.peek().kind === "ident" ? this.next() : this.fail(`expected ${what}, found "${this.peek().text}"`));
  readonly fullIdent = (what: string): { text: string; at: Token } => {
    const at = this.peek();
    let text = this.is(".") ? (this.next(), ".") : "";
    text += this.ident(what).text;
    while (this.is(".")) {
      this.next();
      text += `.${this.ident(what).text}`;
    }
    return { text, at };
  };
  readonly intValue = (what: string): number => {
    const neg = this.is("-") ? (this.next(), true) : false;
    const t = this.next();
    if (t.kind !== "number" || !/^(0[xX][0-9a-fA-F]+|\d+)$/.test(t.text)) this.fail(`expected ${what}, found "${t.text}"`, t);
    const v = Number(parseProtoInt(t.text) ?? 0n);
    return neg ? -v : v;
  };
  /** A constant as written: its text (strings decoded and joined), its bytes for strings, and its sign. */
  readonly constantValue = (): { kind: Token["kind"]; text: string; bytes: Uint8Array | null; negative: boolean } => {
    const negative = this.is("-") ? (this.next(), true) : this.is("+") ? (this.next(), false) : false;
    const t = this.next();
    if (t.kind !== "string") return { kind: t.kind, text: t.text, bytes: null, negative };
    const parts = [t.bytes ?? new Uint8Array()];
    let text = t.text;
    while (this.peek().kind === "string") {
      const more = this.next();
      text += more.text;
      parts.push(more.bytes ?? new Uint8Array());
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { kind: "string", text, bytes, negative };
  };
  /** Skips a constant or an aggregate { ... } option value and returns it as text. */
  readonly constant = (): string => {
    if (this.is("{")) {
      let depth = 0;
      do {
        const t = this.next();
        if (t.text === "{" && t.kind === "symbol") depth++;
        if (t.text === "}" && t.kind === "symbol") depth--;
      } while (depth > 0);
      return "";
    }
    const v = this.constantValue();
    return v.kind === "string" ? v.text : `${v.negative ? "-" : ""}${v.text}`;
  };
  /** An option name: parts joined by dots, each a plain name or an extension in parentheses, such as `(buf.validate.field).float.(ext)`. */
  readonly optionName = (): string => {
    const part = (): string => {
      if (!this.is("(")) return this.ident("an option name").text;
      this.next();
      const ext = this.fullIdent("an option name").text;
      this.expect(")");
      return `(${ext})`;
    };
    let name = part();
    while (this.is(".")) {
      this.next();
      name += `.${part()}`;
    }
    return name;
  };
  /** `option name = value;` statement; returns name and value. */
  readonly optionStatement = (): [string, string] => {
    this.expect("option");
    const name = this.optionName();
    this.expect("=");
    const value = this.constant();
    this.expect(";");
    return [name, value];
  };
}
