/**
 * The terminal runner: runs every runnable callout and `grpc` block of a
 * note against the embedded sidecar (or the block's target), printing each
 * event live. Exits 1 when any run does not end in OK, 2 on bad usage.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";
import { findPrivateDir } from "../sidecar/findPrivateDir";
import { describeSchema } from "./describeSchema";
import { DESCRIBE_USAGE, parseDescribeArgs } from "./parseDescribeArgs";
import { parseCliArgs, USAGE } from "./parseCliArgs";
import { runNote } from "./runNote";
import { junitReport } from "./junitReport";
import { parseYamlValue } from "../core/spec/parseYamlValue";

async function main(): Promise<number> {
  if (process.argv[2] === "describe") return describe(process.argv.slice(3));
  const args = parseCliArgs(process.argv.slice(2));
  if ("error" in args) {
    process.stderr.write(`${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const notePath = resolve(args.note);
  let markdown: string;
  try {
    markdown = await readFile(notePath, "utf8");
  } catch (e) {
    process.stderr.write(`Cannot read ${notePath}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const variables = await variablesOf(args);
  if (typeof variables === "string") {
    process.stderr.write(`${variables}\n`);
    return 2;
  }
  const found = await findPrivateDir();
  if (!("dir" in found)) {
    process.stderr.write(`No private folder for the sidecar program: ${found.refused.join("; ")}.\nSet XDG_RUNTIME_DIR or XDG_CACHE_HOME to a folder only you can write.\n`);
    return 2;
  }
  const outcome = await runNote(markdown, {
    ...args,
    variables,
    notePath,
    noteDir: dirname(notePath),
    importPaths: args.importPaths.map((p) => resolve(p)),
    program: { dir: found.dir, source: SIDECAR_SOURCE, hash: SIDECAR_HASH },
    write: (text) => process.stdout.write(text),
    color: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
  });
  if (args.junit !== null) await writeFile(resolve(args.junit), junitReport(args.note, outcome));
  return outcome.failed > 0 || outcome.total === 0 ? 1 : 0;
}

/**
 * The variables blocks see: the --env environment's from --env-file first,
 * then --var, then GRPC_CALLOUTS_VAR_<NAME> from the process environment
 * (for secrets a CI system keeps). A file that cannot be read, or names no
 * such environment, is a usage error.
 */
async function variablesOf(args: { env: string | null; envFile: string | null; variables: Record<string, string> }): Promise<Record<string, string> | string> {
  const fromProcess: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("GRPC_CALLOUTS_VAR_") && v !== undefined) fromProcess[k.slice("GRPC_CALLOUTS_VAR_".length)] = v;
  let environment: Record<string, string> = {};
  if (args.env !== null && args.envFile !== null) {
    let parsed: unknown;
    try {
      parsed = parseYamlValue(await readFile(resolve(args.envFile), "utf8"));
    } catch (e) {
      return `Cannot read the environments in ${args.envFile}: ${e instanceof Error ? e.message : String(e)}`;
    }
    const envs = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    const chosen = envs[args.env];
    if (typeof chosen !== "object" || chosen === null || Array.isArray(chosen)) {
      return `${args.envFile} has no environment "${args.env}"; it has ${Object.keys(envs).join(", ") || "none"}.`;
    }
    environment = Object.fromEntries(Object.entries(chosen as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))]));
  }
  return { ...fromProcess, ...args.variables, ...environment };
}

/** `grpc-callouts describe …`: a schema as .proto text, and its descriptor set. */
async function describe(argv: string[]): Promise<number> {
  const args = parseDescribeArgs(argv);
  if ("error" in args) {
    process.stderr.write(`${args.error}\n\n${DESCRIBE_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(DESCRIBE_USAGE);
    return 0;
  }
  // As protoc: the file is named by the import folder that holds it, the working folder when none is given.
  return describeSchema(
    { ...args, proto: args.proto === null ? null : resolve(args.proto), importPaths: (args.importPaths.length > 0 ? args.importPaths : ["."]).map((p) => resolve(p)) },
    {
      write: (text) => process.stdout.write(text),
      warn: (text) => process.stderr.write(text),
      readFile: (p) => readFile(resolve(p)),
      exists: (p) => existsSync(resolve(p)),
      writeFile: (p, bytes) => writeFile(resolve(p), bytes),
    },
  );
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`grpc-callouts: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
