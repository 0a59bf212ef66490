/** One part of an option name: a field of the options message, or an extension in parentheses. */
export interface OptionPart {
  name: string;
  extension: boolean;
}

/** An option's value as written: a constant (identifier, number or string) or an aggregate `{ … }` in text format. */
export type OptionValue =
  | { kind: "ident" | "number" | "string" | "symbol"; text: string; bytes: Uint8Array | null; negative: boolean }
  | { kind: "aggregate"; text: string };

/** An option as written in a .proto file (`option a.(b).c = v;` or `[a = v]`), with where it is. */
export interface WrittenOption {
  parts: OptionPart[];
  value: OptionValue;
  line: number;
  column: number;
}

/** An option name as written: `(buf.validate.field).float.gt`. */
export function optionNameText(parts: readonly OptionPart[]): string {
  return parts.map((p) => (p.extension ? `(${p.name})` : p.name)).join(".");
}
