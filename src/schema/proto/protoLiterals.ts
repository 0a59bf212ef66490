import { isFieldSet } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Type, FieldDescriptorProtoSchema, type FieldDescriptorProto } from "@bufbuild/protobuf/wkt";

/** The bytes a .proto string literal's body (between its quotes) stands for, its escapes decoded as protoc decodes them. */
export function unescapeProtoString(body: string): Uint8Array {
  const out: number[] = [];
  const utf8 = new TextEncoder();
  const push = (codePoint: number): void => {
    for (const b of utf8.encode(String.fromCodePoint(codePoint))) out.push(b);
  };
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, "'": 39, '"': 34, "?": 63 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c !== "\\") {
      const cp = body.codePointAt(i) ?? 0;
      push(cp);
      if (cp > 0xffff) i++;
      continue;
    }
    const e = body[i + 1] ?? "";
    const rest = body.slice(i + 1);
    let m: RegExpExecArray | null;
    if (simple[e] !== undefined) {
      out.push(simple[e]);
      i++;
    } else if ((m = /^[xX]([0-9a-fA-F]{1,2})/.exec(rest)) !== null) {
      out.push(parseInt(m[1] ?? "0", 16));
      i += m[0].length;
    } else if ((m = /^[0-7]{1,3}/.exec(rest)) !== null) {
      out.push(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else if ((m = /^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(rest)) !== null) {
      push(parseInt(m[1] ?? m[2] ?? "0", 16));
      i += m[0].length;
    } else {
      // An unknown escape: protoc refuses it; keep the character, as the old reader did.
      out.push(...utf8.encode(e));
      i++;
    }
  }
  return Uint8Array.from(out);
}

/** Bytes written as protoc's CEscape writes a bytes default: printable ASCII as is, common escapes, the rest as three octal digits. */
export function cEscape(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) {
    if (b === 10) s += "\\n";
    else if (b === 13) s += "\\r";
    else if (b === 9) s += "\\t";
    else if (b === 34) s += '\\"';
    else if (b === 39) s += "\\'";
    else if (b === 92) s += "\\\\";
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8).padStart(3, "0")}`;
  }
  return s;
}

/** An integer literal (decimal, 0x hex or 0 octal) as a bigint, or null when it is none. */
export function parseProtoInt(text: string): bigint | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]+$/.test(text)) return BigInt(`0o${text.slice(1)}`);
  if (/^\d+$/.test(text)) return BigInt(text);
  return null;
}

/** A number as C's printf %.{precision}g prints it. */
function formatG(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Number(x.toExponential(precision - 1).split("e")[1]);
  if (exp < -4 || exp >= precision) {
    const [mant = "", e = "0"] = x.toExponential(precision - 1).split("e");
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/** A floating default as protoc writes it: SimpleDtoa / SimpleFtoa (shortest of %.15g/%.17g, or %.6g/%.9g, that round-trips), inf, -inf, nan. */
export function formatProtoFloat(x: number, float32: boolean): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const [short, long] = float32 ? [6, 9] : [15, 17];
  // A float default is the literal rounded to 32 bits, then printed.
  const v = float32 ? Math.fround(x) : x;
  const same = (s: string): boolean => (float32 ? Math.fround(Number(s)) === v : Number(s) === v);
  const a = formatG(v, short);
  return same(a) ? a : formatG(v, long);
}

/** A field's `default` as protoc writes it into the descriptor: strings decoded, bytes C-escaped, integers in decimal, floats in their shortest round-tripping form. */
export function protocDefault(field: FieldDescriptorProto, v: { kind: string; text: string; bytes: Uint8Array | null; negative: boolean }): string {
  const sign = v.negative ? "-" : "";
  const T = FieldDescriptorProto_Type;
  // A message or enum field's type is not set until it is linked: its default is an enum value's name.
  switch (isFieldSet(field, FieldDescriptorProtoSchema.field.type) ? field.type : undefined) {
    case T.STRING:
      return v.text;
    case T.BYTES:
      return cEscape(v.bytes ?? new TextEncoder().encode(v.text));
    case T.FLOAT:
    case T.DOUBLE: {
      const lower = v.text.toLowerCase();
      const x = lower === "inf" || lower === "infinity" ? Infinity : lower === "nan" ? NaN : Number(parseProtoInt(v.text) ?? v.text);
      return formatProtoFloat(v.negative ? -x : x, field.type === T.FLOAT);
    }
    case T.INT32:
    case T.INT64:
    case T.UINT32:
    case T.UINT64:
    case T.SINT32:
    case T.SINT64:
    case T.FIXED32:
    case T.FIXED64:
    case T.SFIXED32:
    case T.SFIXED64: {
      const n = parseProtoInt(v.text);
      return n === null ? `${sign}${v.text}` : (v.negative ? -n : n).toString();
    }
    default:
      // Booleans and enum values (and types not resolved yet) as written.
      return `${sign}${v.text}`;
  }
}
