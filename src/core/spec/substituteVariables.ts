import { CallError } from "../errors/CallError";
import { mapStrings } from "../json/mapStrings";
import { Code } from "../errors/Code";
import { closest } from "./closest";
import type { CallSpec } from "./CallSpec";
import type { CallRecord } from "../run/CallRecord";
import { resolveReference } from "./resolveReference";

/** Where `{{name}}` and `{{env.NAME}}` come from. */
export interface VariableSources {
  /** Variables defined in the plugin settings (or on the runner's command line). */
  variables: Record<string, string>;
  /** The process environment. */
  env: Record<string, string | undefined>;
  /**
   * The environment variables a note may read: "all" for the terminal runner,
   * which the user starts deliberately; the plugin passes its allow-list.
   */
  envAllowed: readonly string[] | "all";
  /** The note's named calls: every name, and what the ones run so far brought back. */
  calls?: { names: ReadonlySet<string>; records: ReadonlyMap<string, CallRecord>; duplicates?: ReadonlySet<string>; secretPaths?: ReadonlyMap<string, string[]> };
}

/** The shortest value masking can hide: shorter ones would mask every such run of text. */
export const MIN_SECRET_LENGTH = 4;

/** The setting that lists the environment variables notes may read, as the plugin names it. */
export const ENV_ALLOW_SETTING = "Environment variables notes may read";

const PATTERN = /\{\{\s*([\w.[\]-]+)\s*\}\}/g;

/**
 * Replaces `{{name}}`, `{{env.NAME}}` and references to the note's named
 * calls (`{{login.response.token}}`) in the target, metadata and request
 * messages. Every value put in is recorded in `secrets`, so transcripts can
 * mask it, and every name in `variablesUsed`. An unknown variable, an
 * environment variable off the allow-list, or a value too short to mask is an
 * INVALID_ARGUMENT error value.
 */
export function substituteVariables(spec: CallSpec, sources: VariableSources): CallSpec | CallError {
  const secrets = new Set(spec.secrets);
  const used = new Set(spec.variablesUsed);
  let error: CallError | null = null;
  const refuse = (e: CallError): void => {
    error ??= e;
  };
  const lookUp = (whole: string, name: string): string | undefined => {
    const call = name.split(/[.[]/)[0] ?? "";
    if (sources.calls?.names.has(call) === true && name !== call) {
      const record = sources.calls.records.get(call);
      const value = resolveReference(name, call, record);
      if (value instanceof CallError) refuse(value);
      // What that call masked stays masked here.
      else for (const s of record?.secrets ?? []) secrets.add(s);
      return value instanceof CallError ? undefined : value;
    }
    if (!name.startsWith("env.")) {
      const value = sources.variables[name];
      if (value === undefined) {
        const near = closest(name, Object.keys(sources.variables));
        refuse(
          new CallError(Code.INVALID_ARGUMENT, `Unknown variable ${whole}.`, {
            hint: `Define "${name}" under Settings → gRPC Callouts → Variables${near.length > 0 ? `, or did you mean ${near.map((n) => `{{${n}}}`).join(" or ")}?` : "."}`,
          }),
        );
      }
      return value;
    }
    const envName = name.slice(4);
    if (sources.envAllowed !== "all" && !sources.envAllowed.includes(envName)) {
      refuse(
        new CallError(Code.PERMISSION_DENIED, `A note may not read the environment variable ${envName}.`, {
          hint: `Add ${envName} to Settings → gRPC Callouts → ${ENV_ALLOW_SETTING}, if this note should send it.`,
        }),
      );
      return undefined;
    }
    const value = sources.env[envName];
    if (value === undefined) refuse(new CallError(Code.INVALID_ARGUMENT, `Unknown variable ${whole}.`, { hint: `Set the environment variable ${envName} before starting Obsidian.` }));
    return value;
  };
  const isReference = (name: string): boolean => sources.calls?.names.has(name.split(/[.[]/)[0] ?? "") === true;
  const replace = (text: string, inMetadata = false): string =>
    text.replace(PATTERN, (whole, name: string) => {
      const value = lookUp(whole, name);
      if (value === undefined) return whole;
      used.add(name);
      if (isReference(name)) {
        // A value a server sent that goes into metadata (a token) is masked as a variable is; one too short to mask is not.
        if (inMetadata && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
        return value;
      }
      if (value !== "" && value.length < MIN_SECRET_LENGTH) {
        refuse(
          new CallError(Code.INVALID_ARGUMENT, `The value of ${whole} has ${value.length} character${value.length === 1 ? "" : "s"}: too short to keep secret.`, {
            hint: `Values put in by variables are masked wherever they come back, and masking one shorter than ${MIN_SECRET_LENGTH} characters would hide ordinary text. Write short values into the block itself.`,
          }),
        );
        return whole;
      }
      if (value !== "") secrets.add(value);
      return value;
    });
  const out: CallSpec = {
    ...spec,
    target: spec.target === null ? null : replace(spec.target),
    metadata: Object.fromEntries(Object.entries(spec.metadata).map(([k, v]) => [k, replace(v, true)])),
    requests: spec.requests.map((r) => mapStrings(r, (t) => replace(t))),
  };
  if (error !== null) return error;
  out.secrets = [...secrets];
  out.variablesUsed = [...used];
  return out;
}
