import type { RunAllMode } from "../core/run/runAll";
import type { RuntimeChoice } from "../sidecar/Launcher";

export type { RunAllMode };

/** The plugin's settings, as saved in data.json. */
export interface GrpcCalloutsSettings {
  runtime: RuntimeChoice;
  /** A node binary for the node runtime; "" means `node` from PATH. */
  nodePath: string;
  startAtLaunch: boolean;
  /** Warm the sidecar once a note with runnable callouts has been open a moment. */
  startWhenNoteOpens: boolean;
  /** Stop the sidecar after this many minutes without a call; 0 for never. */
  sidecarIdleMinutes: number;
  /** Demo pacing for title-only callouts. */
  demoCount: number;
  demoIntervalMs: number;
  /** Deadline for calls whose block sets none; 0 for none. */
  defaultDeadlineMs: number;
  /** Message rows kept in each transcript's DOM. */
  maxRows: number;
  /** What one transcript may hold, in MiB; the oldest rows go first. */
  maxTranscriptMb: number;
  showTimestamps: boolean;
  runAllMode: RunAllMode;
  /** Values for `{{name}}` in blocks: where secrets live, never in notes. */
  variables: Record<string, string>;
  /** The environment variables `{{env.NAME}}` in a note may read; none by default. */
  envAllowed: string[];
  /** Ask once per note and target before calling a server that is not on this machine. */
  confirmOutbound: boolean;
  /** Largest message sent or received, in MiB. */
  maxMessageMb: number;
  /** Which view transcripts open in: the message list or the sequence diagram. */
  transcriptView: "messages" | "diagram";
  /** Denser transcripts, messages on one line. */
  compact: boolean;
  /** Draw a pattern's sequence diagram where a callout's embedded image is missing. */
  drawMissingDiagrams: boolean;
  /** Once such a callout runs, its live diagram takes the drawn one's place. */
  liveDiagramReplacesDrawn: boolean;
  /** Running one block first runs the named calls it refers to that have not run in this session. */
  runReferencedFirst: boolean;
  /** Named sets of variables (local, staging, prod); the active one's values come before the global variables. */
  environments: Record<string, Record<string, string>>;
  /** The active environment's name; "" for none. A note's frontmatter `grpc: {env: NAME}` pins its own. */
  activeEnvironment: string;
  /** Variables whose values live in Obsidian's keychain (1.11.4 and later): `{{name}}` → the secret's id there. */
  secretVariables: Record<string, string>;
}

/** Defaults for a fresh install. */
export const DEFAULT_SETTINGS: Readonly<GrpcCalloutsSettings> = Object.freeze({
  runtime: "auto",
  nodePath: "",
  startAtLaunch: false,
  startWhenNoteOpens: false,
  sidecarIdleMinutes: 10,
  demoCount: 5,
  demoIntervalMs: 200,
  defaultDeadlineMs: 30_000,
  maxRows: 500,
  maxTranscriptMb: 32,
  showTimestamps: true,
  runAllMode: "sequential",
  variables: Object.freeze({}) as Record<string, string>,
  envAllowed: Object.freeze([]) as unknown as string[],
  confirmOutbound: true,
  maxMessageMb: 4,
  transcriptView: "messages",
  compact: false,
  drawMissingDiagrams: true,
  liveDiagramReplacesDrawn: true,
  runReferencedFirst: true,
  environments: Object.freeze({}) as Record<string, Record<string, string>>,
  activeEnvironment: "",
  secretVariables: Object.freeze({}) as Record<string, string>,
});

/** Settings from saved data: unknown keys dropped, wrong types and ranges replaced by defaults. */
export function settingsFrom(saved: unknown): GrpcCalloutsSettings {
  const s = (typeof saved === "object" && saved !== null ? saved : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  const int = (v: unknown, fallback: number, min: number, max: number): number =>
    typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
  return {
    runtime: s["runtime"] === "obsidian" || s["runtime"] === "node" || s["runtime"] === "in-process" ? s["runtime"] : d.runtime,
    nodePath: typeof s["nodePath"] === "string" ? s["nodePath"] : d.nodePath,
    startAtLaunch: typeof s["startAtLaunch"] === "boolean" ? s["startAtLaunch"] : d.startAtLaunch,
    startWhenNoteOpens: typeof s["startWhenNoteOpens"] === "boolean" ? s["startWhenNoteOpens"] : d.startWhenNoteOpens,
    sidecarIdleMinutes: typeof s["sidecarIdleMinutes"] === "number" && Number.isFinite(s["sidecarIdleMinutes"]) ? Math.min(24 * 60, Math.max(0, s["sidecarIdleMinutes"])) : d.sidecarIdleMinutes,
    demoCount: int(s["demoCount"], d.demoCount, 1, 100_000),
    demoIntervalMs: int(s["demoIntervalMs"], d.demoIntervalMs, 0, 60_000),
    defaultDeadlineMs: int(s["defaultDeadlineMs"], d.defaultDeadlineMs, 0, 24 * 3_600_000),
    maxRows: int(s["maxRows"], d.maxRows, 10, 100_000),
    maxTranscriptMb: int(s["maxTranscriptMb"], d.maxTranscriptMb, 1, 4096),
    showTimestamps: typeof s["showTimestamps"] === "boolean" ? s["showTimestamps"] : d.showTimestamps,
    runAllMode: s["runAllMode"] === "concurrent" ? "concurrent" : d.runAllMode,
    variables: stringRecord(s["variables"]),
    envAllowed: Array.isArray(s["envAllowed"]) ? envNamesFromText((s["envAllowed"] as unknown[]).filter((n) => typeof n === "string").join("\n")) : [],
    confirmOutbound: typeof s["confirmOutbound"] === "boolean" ? s["confirmOutbound"] : d.confirmOutbound,
    maxMessageMb: int(s["maxMessageMb"], d.maxMessageMb, 1, 1024),
    transcriptView: s["transcriptView"] === "diagram" ? "diagram" : "messages",
    compact: typeof s["compact"] === "boolean" ? s["compact"] : d.compact,
    drawMissingDiagrams: typeof s["drawMissingDiagrams"] === "boolean" ? s["drawMissingDiagrams"] : d.drawMissingDiagrams,
    liveDiagramReplacesDrawn: typeof s["liveDiagramReplacesDrawn"] === "boolean" ? s["liveDiagramReplacesDrawn"] : d.liveDiagramReplacesDrawn,
    runReferencedFirst: typeof s["runReferencedFirst"] === "boolean" ? s["runReferencedFirst"] : d.runReferencedFirst,
    environments: environmentsFrom(s["environments"]),
    activeEnvironment: typeof s["activeEnvironment"] === "string" ? s["activeEnvironment"] : d.activeEnvironment,
    secretVariables: stringRecord(s["secretVariables"]),
  };
}

function environmentsFrom(v: unknown): Record<string, Record<string, string>> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, vars]) => [k, stringRecord(vars)]));
}

/** The variables a run sees: the environment's (the note's pin, else the active one) over the global ones and the keychain's. */
export function variablesFor(s: GrpcCalloutsSettings, pinned: unknown, secrets: Record<string, string> = {}): Record<string, string> {
  const name = typeof pinned === "string" && pinned !== "" ? pinned : s.activeEnvironment;
  return { ...s.variables, ...secrets, ...(s.environments[name] ?? {}) };
}

/** What the Variables text area shows: every value masked, so the settings never show one in clear. */
export const MASKED_VALUE = "••••••";

/** Variables as the settings show them: `name = ••••••` lines. */
export function maskedVariablesText(vars: Record<string, string>): string {
  return Object.keys(vars)
    .map((k) => `${k} = ${MASKED_VALUE}`)
    .join("\n");
}

/** Variables from the edited text: a line that still reads ••••••  keeps the value stored before. */
export function variablesFromMaskedText(text: string, before: Record<string, string>): Record<string, string> {
  const parsed = variablesFromText(text);
  for (const [k, v] of Object.entries(parsed)) if (v === MASKED_VALUE) parsed[k] = before[k] ?? "";
  return parsed;
}

/** Environments as the settings text area shows them: "[name]" lines, each followed by its "name = value" lines. */
export function environmentsToText(envs: Record<string, Record<string, string>>): string {
  return Object.entries(envs)
    .map(([name, vars]) => [`[${name}]`, variablesToText(vars)].filter((l) => l !== "").join("\n"))
    .join("\n\n");
}

/** Environments from the settings text area; lines before the first "[name]" are ignored. */
export function environmentsFromText(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let current: string[] | null = null;
  let name = "";
  const flush = (): void => {
    if (current !== null && name !== "") out[name] = variablesFromText(current.join("\n"));
  };
  for (const line of text.split("\n")) {
    const header = /^\s*\[([\w.-]+)\]\s*$/.exec(line);
    if (header !== null) {
      flush();
      name = header[1] ?? "";
      current = [];
    } else current?.push(line);
  }
  flush();
  return out;
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** "name = value" lines from variables, for the settings text area. */
export function variablesToText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
}

/** Variables from "name = value" lines; blank lines and lines starting with # are skipped. */
export function variablesFromText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m !== null && !line.trimStart().startsWith("#")) out[m[1] ?? ""] = m[2] ?? "";
  }
  return out;
}

/** Environment variable names from text: one per line or separated by commas or spaces; anything else is dropped. */
export function envNamesFromText(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)))];
}
