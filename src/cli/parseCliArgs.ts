import { parseArgs } from "node:util";
import type { RuntimeChoice } from "../sidecar/Launcher";

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
  -h, --help                                show this help
`;

const RUNTIMES: readonly RuntimeChoice[] = ["auto", "obsidian", "node", "in-process"];

/** Parses argv (without node and the script) with node:util's parseArgs. */
export function parseCliArgs(argv: readonly string[]): CliArgs | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        concurrent: { type: "boolean" },
        runtime: { type: "string" },
        "node-path": { type: "string" },
        var: { type: "string", multiple: true },
        count: { type: "string" },
        interval: { type: "string" },
        "import-path": { type: "string", short: "I", multiple: true },
      },
    });
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
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
    help: v.help === true,
  };
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
