import { fromJson, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { CallError, type SourceLocation } from "../core/errors/CallError";
import type { JsonValue } from "../core/json/JsonValue";
import { Code } from "../core/errors/Code";

/**
 * A message from JSON by protobuf-es's JSON rules (int64 as number or string,
 * bytes as base64, enums by name, Timestamp as RFC 3339, Duration as "1.5s"),
 * or an INVALID_ARGUMENT error value naming the problem and where it is.
 */
export function parseMessage(
  schema: DescMessage,
  json: JsonValue,
  registry: Registry | undefined,
  where: { label: string; location?: SourceLocation | undefined },
): Message | CallError {
  try {
    return fromJson(schema, json, registry === undefined ? {} : { registry });
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^cannot decode (message )?/, "cannot read ");
    const at = where.location === undefined ? "" : ` (line ${where.location.line})`;
    return new CallError(Code.INVALID_ARGUMENT, `${where.label}${at} does not fit ${schema.typeName}: ${reason}`, {
      hint: `Fields of ${schema.typeName}: ${schema.fields.map((f) => f.jsonName).join(", ") || "(none)"}.`,
      ...(where.location === undefined ? {} : { location: where.location }),
      cause: e,
    });
  }
}
