import { parseOptions } from "./parseOptions";

/** What `grpc-callouts describe` was asked to describe, and where to write the descriptor set. */
export interface DescribeArgs {
  /** A .proto file or a descriptor set (.binpb, .pb, .protoset), as a path from the working folder. */
  proto: string | null;
  importPaths: string[];
  /** A server to ask through reflection, when there is no --proto. */
  target: string | null;
  /** Use TLS with the target (default: plaintext on loopback, TLS elsewhere). */
  tls: boolean | null;
  /** A service, method, message or enum; every service when null. */
  symbol: string | null;
  /** Where to write the FileDescriptorSet of the schema and everything it imports. */
  protosetOut: string | null;
  help: boolean;
}

/** The describe mode's usage text. */
export const DESCRIBE_USAGE = `Usage: grpc-callouts describe (--proto FILE [-I DIR]... | --target HOST:PORT) [SYMBOL] [--protoset-out FILE]

Prints services, methods, messages and enums as .proto text, as grpcurl describe does.

Options:
  --proto FILE           a .proto file, or a descriptor set (.binpb, .pb, .protoset)
  -I, --import-path DIR  a folder to find .proto imports in (repeatable)
  --target HOST:PORT     ask this server through reflection (when there is no --proto)
  --tls / --plaintext    how to reach the target (default: plaintext on loopback, TLS elsewhere)
  --protoset-out FILE    write the FileDescriptorSet of the schema and everything it imports,
                         as protoc --include_imports --descriptor_set_out does
  -h, --help             show this help
`;

/** Parses the arguments after `describe`. */
export function parseDescribeArgs(argv: readonly string[]): DescribeArgs | { error: string } {
  const parsed = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    proto: { type: "string" },
    "import-path": { type: "string", short: "I", multiple: true },
    target: { type: "string" },
    tls: { type: "boolean" },
    plaintext: { type: "boolean" },
    "protoset-out": { type: "string" },
  });
  if ("error" in parsed) return parsed;
  const v = parsed.values;
  if (parsed.positionals.length > 1) return { error: "Give one symbol to describe" };
  if (v.tls === true && v.plaintext === true) return { error: "Give --tls or --plaintext, not both" };
  const out: DescribeArgs = {
    proto: v.proto ?? null,
    importPaths: v["import-path"] ?? [],
    target: v.target ?? null,
    tls: v.tls === true ? true : v.plaintext === true ? false : null,
    symbol: parsed.positionals[0] ?? null,
    protosetOut: v["protoset-out"] ?? null,
    help: v.help === true,
  };
  if (!out.help && out.proto === null && out.target === null) return { error: "Describe what? Give --proto FILE or --target HOST:PORT." };
  return out;
}
