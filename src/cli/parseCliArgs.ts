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
  help: boolean;
}

/** The runner's usage text. */
export const USAGE = `Usage: grpc-callouts <note.md> [options]

Runs every pattern callout and grpc block of the note, printing each message live.

Options:
  --runtime auto|obsidian|node|in-process   how to run the sidecar (default auto)
  --node-path PATH                          node binary for --runtime node
  --concurrent                              run all at once instead of one after another
  --count N                                 demo pacing: messages per stream (default 5)
  --interval MS                             demo pacing: pause between messages (default 200)
  --var NAME=VALUE                          a value for {{NAME}} in blocks (repeatable; masked in output)
  -h, --help                                show this help
`;

const RUNTIMES: readonly RuntimeChoice[] = ["auto", "obsidian", "node", "in-process"];

/** Parses argv (without node and the script). */
export function parseCliArgs(argv: readonly string[]): CliArgs | { error: string } {
  const out: CliArgs = { note: "", runtime: "auto", nodePath: "", concurrent: false, count: 5, intervalMs: 200, variables: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    const value = (): string | undefined => argv[++i];
    switch (a) {
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "--concurrent":
        out.concurrent = true;
        break;
      case "--runtime": {
        const v = value();
        if (v === undefined || !(RUNTIMES as readonly string[]).includes(v)) return { error: `--runtime takes one of ${RUNTIMES.join(", ")}` };
        out.runtime = v as RuntimeChoice;
        break;
      }
      case "--node-path": {
        const v = value();
        if (v === undefined) return { error: "--node-path takes a path" };
        out.nodePath = v;
        break;
      }
      case "--var": {
        const v = value();
        const m = v === undefined ? null : /^([\w.-]+)=(.*)$/s.exec(v);
        if (m === null) return { error: "--var takes NAME=VALUE" };
        out.variables[m[1] ?? ""] = m[2] ?? "";
        break;
      }
      case "--count":
      case "--interval": {
        const v = Number(value());
        if (!Number.isFinite(v) || v < 0 || (a === "--count" && v < 1)) return { error: `${a} takes a number` };
        if (a === "--count") out.count = Math.floor(v);
        else out.intervalMs = v;
        break;
      }
      default:
        if (a.startsWith("-")) return { error: `Unknown option ${a}` };
        if (out.note !== "") return { error: "Give one note" };
        out.note = a;
    }
  }
  if (out.note === "" && !out.help) return { error: "Which note? Give the path of a Markdown file." };
  return out;
}
