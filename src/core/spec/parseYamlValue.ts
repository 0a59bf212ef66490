import { parse } from "yaml";
import type { JsonValue } from "../json/JsonValue";

/**
 * A value from the `yaml` library read with `intAsBigInt`, as JSON: integers
 * that fit a double exactly stay numbers, larger ones become decimal strings
 * (how proto3 JSON writes int64), so no digit is ever lost.
 */
export function jsonFromYaml(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(jsonFromYaml);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonFromYaml(v)]));
  }
  return value;
}

/** Parses YAML (or JSON) text into a JSON value, with integers beyond 2^53 kept exact. Throws on bad YAML. */
export function parseYamlValue(text: string): JsonValue {
  return jsonFromYaml(parse(text, { intAsBigInt: true, prettyErrors: false })) as JsonValue;
}
