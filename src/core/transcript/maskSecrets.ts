import type { JsonValue } from "../errors/CallError";
import { mapStrings } from "../errors/mapStrings";
import type { CallEvent } from "./CallEvent";

/** What a secret is shown as. */
export const MASK = "••••••";

/** The event with every occurrence of a secret replaced by MASK, in metadata, messages and status. */
export function maskSecrets(event: CallEvent, secrets: readonly string[]): CallEvent {
  if (secrets.length === 0) return event;
  const text = (s: string): string => {
    let out = s;
    for (const secret of secrets) if (secret !== "" && out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
  const json = (v: JsonValue): JsonValue => mapStrings(v, text);
  switch (event.type) {
    case "headers":
    case "trailers":
      return { ...event, metadata: event.metadata.map(([k, v]) => [k, text(v)]) };
    case "message":
      return { ...event, json: json(event.json) };
    case "status":
      return { ...event, message: text(event.message), details: event.details.map(json) };
    case "half-close":
      return event;
    default: {
      const never: never = event;
      return never;
    }
  }
}
