import { parseArgs, type ParseArgsConfig } from "node:util";

/** node:util's parseArgs, strict and with positionals, for each of the runner's modes; a bad option is an error value. */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>> | { error: string } {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
