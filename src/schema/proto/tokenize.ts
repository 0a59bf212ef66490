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
  const out: Token[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  /** Counts the line breaks in source[from, to). */
  const lines = (from: number, to: number): void => {
    for (let k = source.indexOf("\n", from); k >= 0 && k < to; k = source.indexOf("\n", k + 1)) {
      line++;
      lineStart = k + 1;
    }
  };
  const error = (message: string, at: number): never => {
    throw new ProtoSyntaxError(message, file, line, at - lineStart + 1);
  };
  while (i < n) {
    const code = source.charCodeAt(i);
    if (code === 10) {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (code === 32 || code === 9 || code === 13 || code === 12 || code === 11) {
      i++;
      continue;
    }
    const c = source[i] as string;
    if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) error("unterminated /* comment", i);
      lines(i, end);
      i = end + 2;
      continue;
    }
    const column = i - lineStart + 1;
    IDENT.lastIndex = i;
    if (IDENT.test(source)) {
      out.push({ kind: "ident", text: source.slice(i, IDENT.lastIndex), line, column, offset: i, end: IDENT.lastIndex });
      i = IDENT.lastIndex;
      continue;
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(source)) {
      out.push({ kind: "number", text: source.slice(i, NUMBER.lastIndex), line, column, offset: i, end: NUMBER.lastIndex });
      i = NUMBER.lastIndex;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c) {
        if (source[j] === "\n") error("unterminated string", i);
        j += source[j] === "\\" ? 2 : 1;
      }
      if (j >= n) error("unterminated string", i);
      const body = source.slice(i + 1, j);
      // Most strings have no escapes: their text is the body as it is.
      if (!body.includes("\\")) out.push({ kind: "string", text: body, line, column, offset: i, end: j + 1 });
      else {
        const bytes = unescapeProtoString(body);
        out.push({ kind: "string", text: decoder.decode(bytes), bytes, line, column, offset: i, end: j + 1 });
      }
      i = j + 1;
      continue;
    }
    if (SYMBOLS.includes(c)) {
      out.push({ kind: "symbol", text: c, line, column, offset: i, end: i + 1 });
      i++;
      continue;
    }
    error(`unexpected character "${c}"`, i);
  }
  return out;
}

const decoder = new TextDecoder();
