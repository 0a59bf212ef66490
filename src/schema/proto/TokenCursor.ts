import { parseProtoInt } from "./protoLiterals";
import { Lexer, ProtoSyntaxError, type Token } from "./tokenize";
import type { OptionPart, OptionValue, WrittenOption } from "./WrittenOption";

const utf8 = new TextEncoder();

/**
 * Reads a .proto file's tokens in order: look ahead, take, expect, and the
 * small grammar pieces every statement uses (identifiers, full names,
 * integers, constants, option names). Errors are ProtoSyntaxError
 * with file, line and column. Its members are bound, so they can be taken
 * out of it one by one.
 */
export class TokenCursor {
  private readonly lexer: Lexer;
  /** The token before the current one, and the ones read ahead (the current one first). */
  private previous: Token | null = null;
  private readonly ahead: Token[] = [];

  constructor(
    private readonly fileName: string,
    private readonly source: string,
  ) {
    this.lexer = new Lexer(source, fileName);
  }

  /** Whether every token has been read. */
  get atEnd(): boolean {
    return this.fill(0) === undefined;
  }

  readonly eofToken = (): Token => {
    const last = this.lexer.last;
    return { kind: "symbol", text: "<end of file>", line: last?.line ?? 1, column: (last?.column ?? 0) + (last?.text.length ?? 0), offset: last?.end ?? 0, end: last?.end ?? 0 };
  };
  /** The token `o` ahead of the current one (-1: the one just taken). */
  readonly peek = (o = 0): Token => (o < 0 ? this.previous : this.fill(o)) ?? this.eofToken();
  readonly fail = (message: string, t: Token = this.peek()): never => {
    throw new ProtoSyntaxError(message, this.fileName, t.line, t.column);
  };
  readonly next = (): Token => {
    const t = this.fill(0) ?? this.fail("unexpected end of file");
    this.ahead.shift();
    this.previous = t;
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
    const parts = [t.bytes ?? utf8.encode(t.text)];
    let text = t.text;
    while (this.peek().kind === "string") {
      const more = this.next();
      text += more.text;
      parts.push(more.bytes ?? utf8.encode(more.text));
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { kind: "string", text, bytes, negative };
  };
  /** An option's value: a constant, or an aggregate `{ … }` kept as text-format source (comments dropped). */
  readonly optionValue = (): OptionValue => {
    if (!this.is("{")) return this.constantValue();
    const open = this.next();
    let depth = 1;
    let text = "";
    let prev = open;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === "symbol" && (t.text === "{" || t.text === "<")) depth++;
      if (t.kind === "symbol" && (t.text === "}" || t.text === ">")) depth--;
      if (depth === 0) break;
      text += (prev.end === t.offset || text === "" ? "" : " ") + this.source.slice(t.offset, t.end);
      prev = t;
    }
    return { kind: "aggregate", text };
  };
  /** An option name: parts joined by dots, each a plain name or an extension in parentheses, such as `(buf.validate.field).float.(ext)`. */
  readonly optionName = (): OptionPart[] => {
    const part = (): OptionPart => {
      if (!this.is("(")) return { name: this.ident("an option name").text, extension: false };
      this.next();
      const name = this.fullIdent("an option name").text;
      this.expect(")");
      return { name, extension: true };
    };
    const parts = [part()];
    while (this.is(".")) {
      this.next();
      parts.push(part());
    }
    return parts;
  };
  /** `name = value` as in an option statement or a `[ … ]` list, with where it starts. */
  readonly option = (): WrittenOption => {
    const at = this.peek();
    const parts = this.optionName();
    this.expect("=");
    return { parts, value: this.optionValue(), line: at.line, column: at.column };
  };
  /** `option name = value;` statement. */
  readonly optionStatement = (): WrittenOption => {
    this.expect("option");
    const o = this.option();
    this.expect(";");
    return o;
  };

  /** Reads ahead until the token `o` ahead is there; undefined past the end. */
  private fill(o: number): Token | undefined {
    while (this.ahead.length <= o) {
      const t = this.lexer.next();
      if (t === null) return undefined;
      this.ahead.push(t);
    }
    return this.ahead[o];
  }
}
