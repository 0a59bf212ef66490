import type { JsonValue } from "../json/JsonValue";
import { mapStrings } from "../json/mapStrings";
import type { CallEvent } from "./CallEvent";

/** What a secret is shown as. */
export const MASK = "••••••";

/** Base64 of the UTF-8 bytes of `text`, standard alphabet with padding. */
function base64Of(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Every form a server may echo a secret in: as given, base64 (standard and
 * URL-safe, with and without padding) and percent-encoded (as a URI
 * component, as a URI, and form-encoded). Longest first, so that a longer
 * form is masked before a shorter one inside it.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === "") continue;
    const b64 = base64Of(secret);
    const url = b64.replace(/\+/g, "-").replace(/\//g, "_");
    let component = secret;
    let uri = secret;
    try {
      component = encodeURIComponent(secret);
      uri = encodeURI(secret);
    } catch {
      // A lone surrogate has no percent-encoding; a server cannot echo one either.
    }
    for (const f of [secret, b64, b64.replace(/=+$/, ""), url, url.replace(/=+$/, ""), component, uri, component.replace(/%20/g, "+"), component.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())]) {
      if (f !== "") forms.add(f);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of every form replaced by MASK; forms come from `secretForms`. */
export function maskText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/** The event with every form of a secret replaced by MASK, in metadata, messages and status. */
export function maskSecrets(event: CallEvent, forms: readonly string[]): CallEvent {
  if (forms.length === 0) return event;
  const text = (s: string): string => maskText(s, forms);
  const json = (v: JsonValue): JsonValue => mapStrings(v, text);
  switch (event.type) {
    case "headers":
    case "trailers":
      return { ...event, metadata: event.metadata.map(([k, v]) => [k, text(v)]) };
    case "message":
      return { ...event, json: json(event.json) };
    case "status":
      return { ...event, message: text(event.message), details: event.details.map(json), ...(event.hint === undefined ? {} : { hint: text(event.hint) }) };
    case "half-close":
      return event;
    case "expectations":
      return { ...event, results: event.results.map((r) => ({ ...r, expected: text(r.expected), actual: text(r.actual) })) };
    default: {
      const never: never = event;
      return never;
    }
  }
}
