/** One token of a .proto file, with its 1-based position. */
export interface Token {
  kind: "ident" | "number" | "string" | "symbol";
  /** The token's text; for a string, its value with the escapes decoded (as UTF-8). */
  text: string;
  /** For a string with escapes, the bytes it stands for (a string without is its text's UTF-8). */
  bytes?: Uint8Array;
  line: number;
  column: number;
  /** Where the token starts and ends in the source, as string offsets. */
  offset: number;
  end: number;
  /** The comment block right above the token (no blank line between), as protoc keeps it: each line without its `//`. */
  leading?: string | CommentRun;
  /** A comment after the token on its line. */
  trailing?: string;
}

import { unescapeProtoString } from "./protoLiterals";

/** A problem in a .proto file, at file:line:column. */
export class ProtoSyntaxError extends Error {
  override name = "ProtoSyntaxError";
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column}: ${message}`);
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/y;
// "/" appears in aggregate option values: [type.googleapis.com/pkg.Msg] { … }.
const SYMBOLS = "{}()[]<>;,=.-+:/";

/** Splits .proto source into tokens, skipping whitespace and comments. */
export function tokenize(source: string, file: string): Token[] {
  const lexer = new Lexer(source, file);
  const out: Token[] = [];
  for (let t = lexer.next(); t !== null; t = lexer.next()) out.push(t);
  return out;
}

/**
 * Reads .proto source one token at a time, so that a parser holds only the
 * few tokens it looks at (a large file's token list would outlive the
 * young generation and cost a full collection). Comments are attached to
 * tokens as protoc attaches them: the block right above a token is its
 * leading comment, one after it on its line its trailing comment.
 */
export class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  /**
   * The comment block waiting for the next token and the line it ends on:
   * a run of // lines is kept as the range of source it spans and made
   * into text only when a token takes it (most of a large file's text is
   * comments); a block that has a /* comment is kept as text.
   */
  private block = "";
  private blockFrom = -1;
  private blockTo = -1;
  private blockEnd = -2;
  /** The token returned last, which a comment on its line trails. */
  last: Token | null = null;

  constructor(
    private readonly source: string,
    private readonly file: string,
  ) {}

  /** The next token, or null at the end of the source. */
  next(): Token | null {
    const source = this.source;
    const n = source.length;
    while (this.i < n) {
      const i = this.i;
      const code = source.charCodeAt(i);
      if (code === 10) {
        this.line++;
        this.i++;
        this.lineStart = this.i;
        continue;
      }
      if (code === 32 || code === 9 || code === 13 || code === 12 || code === 11) {
        this.i++;
        continue;
      }
      const c = source[i] as string;
      if (c === "/" && source[i + 1] === "/") {
        const end = source.indexOf("\n", i);
        const stop = end < 0 ? n : end;
        this.lineComment(i, stop);
        this.i = stop;
        continue;
      }
      if (c === "/" && source[i + 1] === "*") {
        const end = source.indexOf("*/", i + 2);
        if (end < 0) this.error("unterminated /* comment", i);
        const startLine = this.line;
        for (let k = source.indexOf("\n", i); k >= 0 && k < end; k = source.indexOf("\n", k + 1)) {
          this.line++;
          this.lineStart = k + 1;
        }
        // As protoc: a block comment's lines lose the "*" they start with.
        this.comment(source.slice(i + 2, end).split("\n").map((l, k) => (k === 0 ? l : l.replace(/^\s*\*/, ""))).join("\n"), startLine);
        this.i = end + 2;
        continue;
      }
      const line = this.line;
      const column = i - this.lineStart + 1;
      IDENT.lastIndex = i;
      if (IDENT.test(source)) return this.take({ kind: "ident", text: source.slice(i, IDENT.lastIndex), line, column, offset: i, end: IDENT.lastIndex });
      NUMBER.lastIndex = i;
      if (NUMBER.test(source)) return this.take({ kind: "number", text: source.slice(i, NUMBER.lastIndex), line, column, offset: i, end: NUMBER.lastIndex });
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < n && source[j] !== c) {
          if (source[j] === "\n") this.error("unterminated string", i);
          j += source[j] === "\\" ? 2 : 1;
        }
        if (j >= n) this.error("unterminated string", i);
        const body = source.slice(i + 1, j);
        // Most strings have no escapes: their text is the body as it is.
        if (!body.includes("\\")) return this.take({ kind: "string", text: body, line, column, offset: i, end: j + 1 });
        const bytes = unescapeProtoString(body);
        return this.take({ kind: "string", text: decoder.decode(bytes), bytes, line, column, offset: i, end: j + 1 });
      }
      if (SYMBOLS.includes(c)) return this.take({ kind: "symbol", text: c, line, column, offset: i, end: i + 1 });
      this.error(`unexpected character "${c}"`, i);
    }
    return null;
  }

  private take(t: Token): Token {
    if (this.blockEnd >= t.line - 1) {
      // A run of // lines is made into text only if someone reads it.
      if (this.blockFrom >= 0) t.leading = new CommentRun(this.source, this.block, this.blockFrom, this.blockTo);
      else if (this.block !== "") t.leading = this.block;
    }
    this.block = "";
    this.blockFrom = -1;
    this.blockEnd = -2;
    this.i = t.end;
    this.last = t;
    return t;
  }

  /** A // comment from `from` to the end of its line at `to`. */
  private lineComment(from: number, to: number): void {
    const last = this.last;
    if (last !== null && last.line === this.line && this.blockEnd < this.line) {
      last.trailing = (last.trailing ?? "") + commentLines(this.source.slice(from, to));
      return;
    }
    if (this.blockEnd !== this.line - 1) {
      this.block = "";
      this.blockFrom = -1;
    }
    if (this.blockFrom < 0) this.blockFrom = from;
    this.blockTo = to;
    this.blockEnd = this.line;
  }

  /** A /* comment's text, starting on `startLine`. */
  private comment(text: string, startLine: number): void {
    const last = this.last;
    if (last !== null && last.line === startLine && this.blockEnd < startLine) {
      last.trailing = (last.trailing ?? "") + text;
      return;
    }
    this.block = this.blockEnd === startLine - 1 ? this.blockText() + text : text;
    this.blockFrom = -1;
    this.blockEnd = this.line;
  }

  /** The waiting block as text: its // lines made into text, after any text kept. */
  private blockText(): string {
    return this.blockFrom < 0 ? this.block : this.block + commentLines(this.source.slice(this.blockFrom, this.blockTo));
  }

  private error(message: string, at: number): never {
    throw new ProtoSyntaxError(message, this.file, this.line, at - this.lineStart + 1);
  }
}

const decoder = new TextDecoder();

/** A leading comment kept as the source range of its // lines (after any text of a /* comment before them), made into text when read. */
export class CommentRun {
  constructor(
    private readonly source: string,
    private readonly before: string,
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** The comment as protoc keeps it. */
  get text(): string {
    return this.before + commentLines(this.source.slice(this.from, this.to));
  }
}

/** A token's comment as text. */
export function commentText(c: string | CommentRun | undefined): string {
  return c === undefined ? "" : typeof c === "string" ? c : c.text;
}

/** Lines of // comments (with only whitespace before each //) as protoc keeps them: each without its //, ending in a newline. */
function commentLines(text: string): string {
  const lf = text.includes("\r") ? text.replace(/\r$/gm, "") : text;
  return `${lf.replace(/^[ \t]*\/\//gm, "")}\n`;
}
