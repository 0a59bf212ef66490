import { create } from "@bufbuild/protobuf";
import { EnumDescriptorProtoSchema, EnumOptionsSchema, EnumValueDescriptorProtoSchema, EnumValueOptionsSchema, type EnumDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { ParseContext } from "./ParseContext";
import { readOptionList, readReserved } from "./readRanges";

/** `enum Name { … }`: its values, options and reserved ranges and names. */
export function parseEnum(ctx: ParseContext, scope: string): EnumDescriptorProto {
const { cursor, setOption, note } = ctx;
const { fail, next, is, expect, ident, intValue, optionStatement } = cursor;
  const first = expect("enum");
  const name = ident("an enum name");
  const e = create(EnumDescriptorProtoSchema, { name: name.text });
  note(e, first, expect("{"));
  while (!is("}")) {
    if (is(";")) next();
    else if (is("option")) setOption(e, EnumOptionsSchema, scope, optionStatement());
    else if (is("reserved")) readReserved(cursor, e.reservedRange, e.reservedName, true);
    else {
      const v = ident("an enum value name");
      expect("=");
      const value = create(EnumValueDescriptorProtoSchema, { name: v.text, number: intValue("an enum value number") });
      for (const o of readOptionList(cursor)) setOption(value, EnumValueOptionsSchema, scope, o);
      note(value, v, expect(";"));
      e.value.push(value);
    }
  }
  expect("}");
  if (ctx.isProto3() && e.value[0]?.number !== 0) fail(`the first value of enum ${name.text} must be 0 in proto3`, name);
  return e;
}
