import type { CallSpec } from "./CallSpec";
import { isLoopback } from "./isLoopback";

/** Where the embedded sidecar listens and the header its token goes in, for a call without a target. */
export interface SidecarAddress {
  address: string;
  tokenHeader: string;
}

/** The environment variable a `{{name}}` becomes in a grpcurl command: `{{api.key}}` → `$API_KEY`. */
export function placeholderOf(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "").toUpperCase() || "VALUE";
}

const PLACEHOLDER = /\{\{\s*([\w.[\]-]+)\s*\}\}/g;

/**
 * The grpcurl command that makes the call a block describes: `-plaintext`
 * or `-cacert`/`-cert`/`-key`/`-authority`/`-insecure`, `-import-path` and
 * `-proto` or `-protoset` (or reflection), `-H` for each metadata entry,
 * `-d` with the JSON and `-max-time`. `spec` is the block as written,
 * before variables are put in: each `{{name}}` becomes `"$NAME"`, so the
 * command carries no secret's value. Arguments go in single quotes, those
 * with a placeholder in double quotes so the shell puts the value in; the
 * tests read every command back with shell-quote.
 */
export function grpcurlCommand(spec: CallSpec, sidecar?: SidecarAddress): string {
  const args: string[] = ["grpcurl"];
  const target = spec.target ?? sidecar?.address ?? "127.0.0.1:PORT";
  const tls = spec.tls;
  if (tls === false || (tls === null && (spec.target === null || isLoopback(target)))) args.push("-plaintext");
  else if (typeof tls === "object" && tls !== null) {
    if (tls.ca !== undefined) args.push("-cacert", tls.ca);
    if (tls.cert !== undefined) args.push("-cert", tls.cert);
    if (tls.key !== undefined) args.push("-key", tls.key);
    if (tls.serverName !== undefined) args.push("-authority", tls.serverName);
    if (tls.insecureSkipVerify === true) args.push("-insecure");
  }
  if (spec.proto !== null) {
    if (/\.(binpb|pb|protoset)$/i.test(spec.proto)) args.push("-protoset", spec.proto);
    else {
      const dir = spec.proto.includes("/") ? spec.proto.slice(0, spec.proto.lastIndexOf("/")) : ".";
      for (const p of spec.importPaths.length > 0 ? spec.importPaths : [dir]) args.push("-import-path", p);
      args.push("-proto", spec.importPaths.length > 0 ? spec.proto : spec.proto.slice(dir === "." ? 0 : dir.length + 1));
    }
  }
  if (spec.target === null && sidecar !== undefined) args.push("-H", `${sidecar.tokenHeader}: {{GRPC_CALLOUTS_TOKEN}}`);
  for (const [k, v] of Object.entries(spec.metadata)) args.push("-H", `${k}: ${v}`);
  if (spec.requests.length > 0) args.push("-d", spec.requests.map((r) => JSON.stringify(r, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))).join("\n"));
  if (spec.deadlineMs !== null) args.push("-max-time", String(spec.deadlineMs / 1000));
  args.push(target, spec.method);
  return shellLine(args);
}

/** Arguments as one shell line: `{{name}}` placeholders as `"$NAME"`, everything else literal. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (a.search(PLACEHOLDER) >= 0 ? doubleQuoted(a) : singleQuoted(a))).join(" ");
}

/** An argument as POSIX shells read it back: bare when it is plain, else in single quotes (a quote inside as '"'"'). */
function singleQuoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

/** An argument in double quotes with `{{name}}` as `$NAME` and everything else kept literal. */
function doubleQuoted(arg: string): string {
  let out = "";
  let at = 0;
  for (const m of arg.matchAll(PLACEHOLDER)) {
    out += arg.slice(at, m.index).replace(/["\\$`]/g, "\\$&") + `\${${placeholderOf(m[1] ?? "")}}`;
    at = (m.index ?? 0) + m[0].length;
  }
  return `"${out}${arg.slice(at).replace(/["\\$`]/g, "\\$&")}"`;
}
