import type { JsonValue } from "../json/JsonValue";

/** A copy of a JSON value with `fn` applied to every string in it, keys left alone. */
export function mapStrings(value: JsonValue, fn: (s: string) => string): JsonValue {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}
