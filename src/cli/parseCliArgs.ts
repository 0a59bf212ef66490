import { parseOptions } from "./parseOptions";
import type { RuntimeChoice } from "../sidecar/Launcher";
import { PROTOCOLS, type Protocol } from "../core/spec/Protocol";
import { parseDuration } from "../core/spec/parseDuration";

/** What the terminal runner was asked to do. */
export interface CliArgs {
  note: string;
  runtime: RuntimeChoice;
  nodePath: string;
  concurrent: boolean;
  count: number;
  intervalMs: number;
  /** Values for {{name}} in blocks, from --var name=value. */
  variables: Record<string, string>;
  /** Import folders for .proto files, from -I/--import-path; they may point anywhere. */
  importPaths: string[];
  /** The environment to take from --env-file (a YAML or JSON mapping of environments to variables). */
  env: string | null;
  envFile: string | null;
  /** Run only these named calls and the calls they refer to. */
  filter: string[];
  /** Overrides every block's target. */
  target: string | null;
  /** The protocol of every block with a target (grpc, grpc-web or connect). */
  protocol: Protocol | null;
  /** The default deadline of calls whose block sets none. */
  deadlineMs: number | null;
  /** Write JUnit XML here. */
  junit: string | null;
  /** One JSON object per event line instead of the human view. */
  json: boolean;
  failFast: boolean;
  help: boolean;
}

/** The runner's usage text. */
export const USAGE = `Usage: grpc-callouts <note.md> [options]
       grpc-callouts describe --help

Runs every pattern callout and grpc block of the note, printing each message live.

Options:
  --runtime auto|obsidian|node|in-process   how to run the sidecar (default auto)
  --node-path PATH                          node binary for --runtime node
  --concurrent                              run all at once instead of one after another
  --count N                                 demo pacing: messages per stream (default 5)
  --interval MS                             demo pacing: pause between messages (default 200)
  --var NAME=VALUE                          a value for {{NAME}} in blocks (repeatable; masked in output)
  -I, --import-path DIR                     a folder to find .proto imports in (repeatable; any folder)
  --env NAME --env-file FILE                variables of environment NAME from FILE ({NAME: {var: value}}, YAML or JSON);
                                            GRPC_CALLOUTS_VAR_<NAME> in the environment sets {{NAME}} too
  --filter NAME[,NAME]                      run only these named calls and the calls they refer to
  --target HOST:PORT                        send every block's call there
  --protocol grpc|grpc-web|connect          the protocol of every block that has a target
  --deadline DURATION                       deadline of calls whose block sets none (default 30s)
  --junit FILE                              write JUnit XML, one testcase per call
  --json                                    one JSON object per event line (NDJSON)
  --fail-fast                               stop at the first call that does not end as expected
  -h, --help                                show this help

Exit codes: 0 when every call ends as expected (OK, or what expect: names), 1 when one does not, 2 for bad usage.
`;

const RUNTIMES: readonly RuntimeChoice[] = ["auto", "obsidian", "node", "in-process"];

/** Parses argv (without node and the script) with node:util's parseArgs. */
export function parseCliArgs(argv: readonly string[]): CliArgs | { error: string } {
  const parsed = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    concurrent: { type: "boolean" },
    runtime: { type: "string" },
    "node-path": { type: "string" },
    var: { type: "string", multiple: true },
    count: { type: "string" },
    interval: { type: "string" },
    "import-path": { type: "string", short: "I", multiple: true },
    env: { type: "string" },
    "env-file": { type: "string" },
    filter: { type: "string", multiple: true },
    target: { type: "string" },
    protocol: { type: "string" },
    deadline: { type: "string" },
    junit: { type: "string" },
    json: { type: "boolean" },
    "fail-fast": { type: "boolean" },
  });
  if ("error" in parsed) return parsed;
  const v = parsed.values;
  const out: CliArgs = {
    note: "",
    runtime: "auto",
    nodePath: v["node-path"] ?? "",
    concurrent: v.concurrent === true,
    count: 5,
    intervalMs: 200,
    variables: {},
    importPaths: v["import-path"] ?? [],
    env: v.env ?? null,
    envFile: v["env-file"] ?? null,
    filter: (v.filter ?? []).flatMap((f) => f.split(",")).map((f) => f.trim()).filter((f) => f !== ""),
    target: v.target ?? null,
    protocol: null,
    deadlineMs: null,
    junit: v.junit ?? null,
    json: v.json === true,
    failFast: v["fail-fast"] === true,
    help: v.help === true,
  };
  if ((out.env === null) !== (out.envFile === null)) return { error: "--env and --env-file go together" };
  if (v.deadline !== undefined) {
    const ms = parseDuration(v.deadline);
    if (typeof ms !== "number") return { error: `--deadline: ${ms.error}` };
    out.deadlineMs = ms;
  }
  if (v.protocol !== undefined) {
    if (!(PROTOCOLS as readonly string[]).includes(v.protocol)) return { error: `--protocol takes one of ${PROTOCOLS.join(", ")}` };
    out.protocol = v.protocol as Protocol;
  }
  if (v.runtime !== undefined) {
    if (!(RUNTIMES as readonly string[]).includes(v.runtime)) return { error: `--runtime takes one of ${RUNTIMES.join(", ")}` };
    out.runtime = v.runtime as RuntimeChoice;
  }
  for (const pair of v.var ?? []) {
    const m = /^([\w.-]+)=(.*)$/s.exec(pair);
    if (m === null) return { error: "--var takes NAME=VALUE" };
    out.variables[m[1] ?? ""] = m[2] ?? "";
  }
  for (const [flag, raw] of [["--count", v.count], ["--interval", v.interval]] as const) {
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || (flag === "--count" && n < 1)) return { error: `${flag} takes a number` };
    if (flag === "--count") out.count = Math.floor(n);
    else out.intervalMs = n;
  }
  if (parsed.positionals.length > 1) return { error: "Give one note" };
  out.note = parsed.positionals[0] ?? "";
  if (out.note === "" && !out.help) return { error: "Which note? Give the path of a Markdown file." };
  return out;
}
