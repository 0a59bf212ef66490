import { create } from "@bufbuild/protobuf";
import { DescriptorProto_ReservedRangeSchema, EnumDescriptorProto_EnumReservedRangeSchema } from "@bufbuild/protobuf/wkt";
import type { TokenCursor } from "./TokenCursor";
import type { WrittenOption } from "./WrittenOption";

const NONE: readonly WrittenOption[] = Object.freeze([]);

/** `[name = value, …]`, the options of a field, an enum value or an extension range; nothing when no `[` follows. */
export function readOptionList(c: TokenCursor): readonly WrittenOption[] {
  if (!c.is("[")) return NONE;
  const out: WrittenOption[] = [];
  c.next();
  for (;;) {
    out.push(c.option());
    if (!c.is(",")) break;
    c.next();
  }
  c.expect("]");
  return out;
}

/**
 * `N`, `N to M` and `N to max`, comma-separated, then options in `[ … ]` if
 * any (extension ranges have them), up to ";": ranges with an exclusive end,
 * or an inclusive one for enums.
 */
export function readRanges(c: TokenCursor, inclusive: boolean, options: WrittenOption[] = []): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (;;) {
    const start = c.intValue("a number");
    let end = start;
    if (c.is("to")) {
      c.next();
      end = c.is("max") ? (c.next(), inclusive ? 2_147_483_647 : 536_870_911) : c.intValue("a number");
    }
    out.push([start, inclusive ? end : end + 1]);
    if (!c.is(",")) break;
    c.next();
  }
  options.push(...readOptionList(c));
  c.expect(";");
  return out;
}

/** `reserved 2, 9 to 11;` or `reserved "foo", "bar";`, into a message's (or, inclusive, an enum's) reserved ranges and names. */
export function readReserved(c: TokenCursor, into: Array<{ start?: number; end?: number }>, names: string[], inclusive: boolean): void {
  c.expect("reserved");
  // Names are strings, or (in editions) identifiers.
  if (c.peek().kind === "string" || c.peek().kind === "ident") {
    for (;;) {
      names.push(c.next().text);
      if (!c.is(",")) break;
      c.next();
    }
    c.expect(";");
    return;
  }
  for (const [start, end] of readRanges(c, inclusive)) {
    into.push(inclusive ? create(EnumDescriptorProto_EnumReservedRangeSchema, { start, end }) : create(DescriptorProto_ReservedRangeSchema, { start, end }));
  }
}
