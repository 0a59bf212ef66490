import type { RuntimeChoice } from "../sidecar/Launcher";

/** How "Run all" runs a note's calls. */
export type RunAllMode = "sequential" | "concurrent";

/** The plugin's settings, as saved in data.json. */
export interface GrpcCalloutsSettings {
  runtime: RuntimeChoice;
  /** A node binary for the node runtime; "" means `node` from PATH. */
  nodePath: string;
  startAtLaunch: boolean;
  /** Demo pacing for title-only callouts. */
  demoCount: number;
  demoIntervalMs: number;
  /** Deadline for calls whose block sets none; 0 for none. */
  defaultDeadlineMs: number;
  /** Message rows kept in each transcript's DOM. */
  maxRows: number;
  showTimestamps: boolean;
  runAllMode: RunAllMode;
}

/** Defaults for a fresh install. */
export const DEFAULT_SETTINGS: Readonly<GrpcCalloutsSettings> = Object.freeze({
  runtime: "auto",
  nodePath: "",
  startAtLaunch: false,
  demoCount: 5,
  demoIntervalMs: 200,
  defaultDeadlineMs: 30_000,
  maxRows: 500,
  showTimestamps: true,
  runAllMode: "sequential",
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
    demoCount: int(s["demoCount"], d.demoCount, 1, 100_000),
    demoIntervalMs: int(s["demoIntervalMs"], d.demoIntervalMs, 0, 60_000),
    defaultDeadlineMs: int(s["defaultDeadlineMs"], d.defaultDeadlineMs, 0, 24 * 3_600_000),
    maxRows: int(s["maxRows"], d.maxRows, 10, 100_000),
    showTimestamps: typeof s["showTimestamps"] === "boolean" ? s["showTimestamps"] : d.showTimestamps,
    runAllMode: s["runAllMode"] === "concurrent" ? "concurrent" : d.runAllMode,
  };
}
