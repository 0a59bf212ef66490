import { CallError } from "../errors/CallError";
import { mapStrings } from "../errors/mapStrings";
import { Code } from "../errors/Code";
import { closest } from "./closest";
import type { CallSpec } from "./CallSpec";

/** Where `{{name}}` and `{{env.NAME}}` come from. */
export interface VariableSources {
  /** Variables defined in the plugin settings (or on the runner's command line). */
  variables: Record<string, string>;
  /** The process environment. */
  env: Record<string, string | undefined>;
}

const PATTERN = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Replaces `{{name}}` and `{{env.NAME}}` in the target, metadata and request
 * messages. Every value put in is recorded in `secrets`, so transcripts can
 * mask it. An unknown variable is an INVALID_ARGUMENT error value.
 */
export function substituteVariables(spec: CallSpec, sources: VariableSources): CallSpec | CallError {
  const secrets = new Set(spec.secrets);
  let error: CallError | null = null;
  const replace = (text: string): string =>
    text.replace(PATTERN, (whole, name: string) => {
      const value = name.startsWith("env.") ? sources.env[name.slice(4)] : sources.variables[name];
      if (value === undefined) {
        if (error === null) {
          const near = closest(name, Object.keys(sources.variables));
          error = new CallError(Code.INVALID_ARGUMENT, `Unknown variable ${whole}.`, {
            hint: name.startsWith("env.")
              ? `Set the environment variable ${name.slice(4)} before starting Obsidian.`
              : `Define "${name}" under Settings → gRPC Callouts → Variables${near.length > 0 ? `, or did you mean ${near.map((n) => `{{${n}}}`).join(" or ")}?` : "."}`,
          });
        }
        return whole;
      }
      if (value !== "") secrets.add(value);
      return value;
    });
  const out: CallSpec = {
    ...spec,
    target: spec.target === null ? null : replace(spec.target),
    metadata: Object.fromEntries(Object.entries(spec.metadata).map(([k, v]) => [k, replace(v)])),
    requests: spec.requests.map((r) => mapStrings(r, replace)),
  };
  if (error !== null) return error;
  out.secrets = [...secrets];
  return out;
}
