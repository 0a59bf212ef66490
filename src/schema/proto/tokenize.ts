/** One token of a .proto file, with its 1-based position. */
export interface Token {
  kind: "ident" | "number" | "string" | "symbol";
  /** The token's text; for a string, its value with the escapes decoded (as UTF-8). */
  text: string;
  /** For a string, the bytes it stands for. */
  bytes?: Uint8Array;
  line: number;
  column: number;
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

/** Splits .proto source into tokens, skipping whitespace and comments. */
export function tokenize(source: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (source[i] === "\n") {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  while (i < source.length) {
    const c = source[i] ?? "";
    if (/\s/.test(c)) {
      advance(1);
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") advance(1);
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) throw new ProtoSyntaxError("unterminated /* comment", file, line, col);
      advance(end + 2 - i);
      continue;
    }
    const start = { line, column: col };
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (ident !== null) {
      out.push({ kind: "ident", text: ident[0], ...start });
      advance(ident[0].length);
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(source.slice(i, i + 256));
    if (num !== null) {
      out.push({ kind: "number", text: num[0], ...start });
      advance(num[0].length);
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\n") throw new ProtoSyntaxError("unterminated string", file, line, col);
        j += source[j] === "\\" ? 2 : 1;
      }
      if (j >= source.length) throw new ProtoSyntaxError("unterminated string", file, line, col);
      const bytes = unescapeProtoString(source.slice(i + 1, j));
      out.push({ kind: "string", text: new TextDecoder().decode(bytes), bytes, ...start });
      advance(j + 1 - i);
      continue;
    }
    // "/" appears in aggregate option values: [type.googleapis.com/pkg.Msg] { … }.
    if ("{}()[]<>;,=.-+:/".includes(c)) {
      out.push({ kind: "symbol", text: c, ...start });
      advance(1);
      continue;
    }
    throw new ProtoSyntaxError(`unexpected character "${c}"`, file, line, col);
  }
  return out;
}
