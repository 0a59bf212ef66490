import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from "yaml";
import { CallError, type SourceLocation } from "../errors/CallError";
import type { JsonValue } from "../json/JsonValue";
import { Code } from "../errors/Code";
import { closest } from "./closest";
import { createCallSpec, type CallSpec, type TlsSpec } from "./CallSpec";
import { parseDuration } from "./parseDuration";
import { vaultPathError, VAULT_PATH_HINT } from "./vaultPathError";
import { jsonFromYaml } from "./parseYamlValue";
import { parseExpectation } from "./Expectation";
import { isUrlTarget, PROTOCOLS, type Protocol } from "./Protocol";

/** The keys a `grpc` block may hold. */
export const BLOCK_KEYS = Object.freeze([
  "name",
  "method",
  "target",
  "protocol",
  "http",
  "proto",
  "import-paths",
  "tls",
  "metadata",
  "deadline",
  "request",
  "requests",
  "interval",
  "interactive",
  "expect",
] as const);

/** What a call's `name:` may be: letters, digits, - and _. */
export const CALL_NAME = /^[A-Za-z0-9_-]+$/;

/** The largest block parseBlock reads, in characters. */
export const MAX_BLOCK_CHARS = 8_000_000;

/** Options of parseBlock. */
export interface ParseBlockOptions {
  /** 1-based line of the block's first content line in the note, so errors point into the note. */
  firstLine: number;
  /** Defaults from the note's frontmatter `grpc:` key; the block's own keys win. */
  defaults: Record<string, unknown>;
}

const defaultOptions: ParseBlockOptions = Object.freeze({ firstLine: 1, defaults: Object.freeze({}) });

/** The result of parsing: a spec, or an error value that says where and what to do. */
export type ParseResult = { ok: true; spec: CallSpec } | { ok: false; error: CallError };

/**
 * Parses the YAML of a `grpc` code block into a CallSpec. Every problem comes
 * back as a CallError with INVALID_ARGUMENT, a line and column, and a hint.
 */
export function parseBlock(source: string, options: Partial<ParseBlockOptions> = {}): ParseResult {
  const opts = { ...defaultOptions, ...options };
  const lines = new LineCounter();
  const at = (offset: number | undefined): SourceLocation => {
    const p = lines.linePos(offset ?? 0);
    return { line: p.line + opts.firstLine - 1, column: p.col };
  };
  const fail = (message: string, location: SourceLocation, hint?: string): ParseResult => ({
    ok: false,
    error: new CallError(Code.INVALID_ARGUMENT, message, { location, ...(hint === undefined ? {} : { hint }) }),
  });

  if (source.length > MAX_BLOCK_CHARS) {
    return fail(`The block is ${(source.length / 1e6).toFixed(1)} MB; blocks are limited to ${MAX_BLOCK_CHARS / 1e6} MB.`, at(0), "Put large requests in fewer, smaller messages.");
  }
  let doc;
  try {
    doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, intAsBigInt: true });
  } catch (e) {
    return fail(`The block is not valid YAML: ${String(e)}`, at(0));
  }
  const first = doc.errors[0];
  if (first !== undefined) {
    const msg = first.message.split("\n")[0] ?? first.message;
    return fail(`YAML syntax error: ${msg}`, at(first.pos[0]), "Check indentation, colons and quotes on that line.");
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    return fail("The block is empty.", at(0), "Add at least `method: package.Service/Method`.");
  }
  if (!isMap(root)) return fail("The block must be a YAML mapping of keys such as `method:` and `request:`.", at(root.range?.[0]));

  // Frontmatter sets where calls go; a name, an expectation or the environment are never note-wide block keys.
  const { name: _n, expect: _e, env: _v, ...noteDefaults } = opts.defaults;
  const raw: Record<string, unknown> = { ...noteDefaults };
  const nodes: Record<string, YamlNode | null> = {};
  const locations: Partial<Record<string, SourceLocation>> = {};
  for (const pair of root.items as Array<Pair<unknown, unknown>>) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const loc = at(keyNode?.range?.[0]);
    if (!(BLOCK_KEYS as readonly string[]).includes(key)) {
      const near = closest(key, BLOCK_KEYS);
      return fail(
        `Unknown key "${key}".`,
        loc,
        near.length > 0 ? `Did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : `Known keys: ${BLOCK_KEYS.join(", ")}.`,
      );
    }
    const value = pair.value as YamlNode | null;
    nodes[key] = value;
    locations[key] = loc;
    raw[key] = value === null ? null : jsonFromYaml(value.toJS(doc));
  }
  const where = (key: string): SourceLocation => locations[key] ?? at(0);

  const method = raw["method"];
  const discover = method === undefined && nodes["target"] !== undefined;
  if (!discover && (typeof method !== "string" || method.trim() === "")) {
    return fail(
      method === undefined ? "The block has no `method:`." : "`method:` must be text like pkg.Service/Method.",
      where("method"),
      "Write the full method name, for example `method: routeguide.RouteGuide/GetFeature`.",
    );
  }
  if (typeof method === "string" && !/^[\w.]+[./]\w+$/.test(method.trim().replace(/^\//, ""))) {
    return fail(`"${method}" is not a method name.`, where("method"), "Write it as package.Service/Method.");
  }
  const spec = createCallSpec(typeof method === "string" ? method : "", { locations, discover });

  for (const key of ["target", "proto"] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return fail(`\`${key}:\` must be text.`, where(key));
    spec[key] = v.trim();
  }
  const protocol = raw["protocol"];
  if (protocol !== undefined && protocol !== null) {
    if (typeof protocol !== "string" || !(PROTOCOLS as readonly string[]).includes(protocol.trim().toLowerCase())) {
      return fail("`protocol:` must be grpc, grpc-web or connect.", where("protocol"), "gRPC is the default; gRPC-Web and Connect reach servers behind Envoy's gRPC-Web filter and Connect servers.");
    }
    spec.protocol = protocol.trim().toLowerCase() as Protocol;
  }
  const http = raw["http"];
  if (http !== undefined && http !== null) {
    const v = typeof http === "string" || typeof http === "number" || typeof http === "bigint" ? String(http).trim() : "";
    if (v !== "1.1" && v !== "2") return fail("`http:` must be 1.1 or 2.", where("http"));
    if (v === "1.1" && spec.protocol === "grpc") return fail("gRPC needs HTTP/2; `http: 1.1` is for gRPC-Web and Connect.", where("http"), "Add `protocol: grpc-web` or `protocol: connect`, or remove `http:`.");
    spec.http = v;
  }
  if (spec.target !== null && isUrlTarget(spec.target) && spec.protocol === "grpc") {
    return fail("An http(s):// URL target is for gRPC-Web and Connect.", where("target"), "Add `protocol: connect` or `protocol: grpc-web`, or write the target as host:port for gRPC.");
  }
  const importPaths = raw["import-paths"];
  if (importPaths !== undefined && importPaths !== null) {
    const list = typeof importPaths === "string" ? [importPaths] : importPaths;
    if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) {
      return fail("`import-paths:` must be a list of vault folders.", where("import-paths"));
    }
    spec.importPaths = list;
  }
  const tls = parseTls(raw["tls"]);
  if (typeof tls === "string") return fail(tls, where("tls"));
  spec.tls = tls;
  const paths: Array<[string, string | undefined]> = [
    ["proto", spec.proto ?? undefined],
    ...spec.importPaths.map((p): [string, string] => ["import-paths", p]),
    ...(["ca", "cert", "key"] as const).map((k): [string, string | undefined] => ["tls", typeof tls === "object" && tls !== null ? tls[k] : undefined]),
  ];
  for (const [key, path] of paths) {
    const refused = path === undefined ? null : vaultPathError(path);
    if (refused !== null) return fail(`\`${key}:\` ${refused}, outside the vault.`, where(key), VAULT_PATH_HINT);
  }

  const metadata = raw["metadata"];
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      return fail("`metadata:` must be a mapping of header names to values.", where("metadata"));
    }
    for (const [k, v] of Object.entries(metadata as Record<string, unknown>)) {
      if (!/^[0-9a-z_.-]+$/i.test(k)) return fail(`"${k}" is not a valid metadata key.`, where("metadata"), "Use letters, digits, '-', '_' and '.'.");
      if (v !== null && typeof v === "object") return fail(`Metadata "${k}" must be a single value.`, where("metadata"));
      spec.metadata[k.toLowerCase()] = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
    }
  }
  for (const key of ["deadline", "interval"] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    const ms = typeof v === "string" ? parseDuration(v) : { error: `\`${key}:\` needs a unit, like 250ms, 1.5s or 2m` };
    if (typeof ms !== "number") return fail(ms.error, where(key));
    if (key === "deadline") spec.deadlineMs = ms;
    else spec.intervalMs = ms;
  }
  const interactive = raw["interactive"];
  if (interactive !== undefined && interactive !== null) {
    if (typeof interactive !== "boolean") return fail("`interactive:` must be true or false.", where("interactive"));
    spec.interactive = interactive;
  }
  const name = raw["name"];
  if (name !== undefined && name !== null) {
    if (typeof name !== "string" || !CALL_NAME.test(name)) return fail("`name:` must be letters, digits, - and _, such as `login`.", where("name"));
    spec.name = name;
  }
  if (raw["expect"] !== undefined) {
    const e = parseExpectation(raw["expect"]);
    if (typeof e === "string") return fail(e, where("expect"));
    spec.expect = e;
  }
  if (raw["request"] !== undefined && raw["requests"] !== undefined) {
    return fail("Give either `request:` or `requests:`, not both.", where("requests"));
  }
  if (raw["request"] !== undefined) {
    const r = raw["request"];
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      return fail("`request:` must be one message, written as a mapping.", where("request"), "For a stream of messages use `requests:` with a list.");
    }
    spec.requests = [r as JsonValue];
  }
  if (raw["requests"] !== undefined) {
    const r = raw["requests"];
    if (!Array.isArray(r)) return fail("`requests:` must be a list of messages.", where("requests"));
    const seq = nodes["requests"];
    for (let i = 0; i < r.length; i++) {
      const item: unknown = r[i];
      const node = isSeq(seq) ? (seq.items[i] as YamlNode | undefined) : undefined;
      const loc = node?.range ? at(node.range[0]) : where("requests");
      locations[`requests.${i}`] = loc;
      if (item === null || typeof item !== "object" || Array.isArray(item)) {
        return fail(`Request ${i + 1} must be a message, written as a mapping.`, loc);
      }
    }
    spec.requests = r as JsonValue[];
  }
  return { ok: true, spec };
}

function parseTls(v: unknown): boolean | TlsSpec | null | string {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v;
  if (typeof v !== "object" || Array.isArray(v)) return "`tls:` must be true, false, or a mapping with ca, cert, key, server-name, insecure-skip-verify.";
  const out: TlsSpec = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    switch (k) {
      case "ca":
      case "cert":
      case "key":
        if (typeof val !== "string") return `\`tls.${k}\` must be a vault path.`;
        out[k] = val;
        break;
      case "server-name":
        if (typeof val !== "string") return "`tls.server-name` must be text.";
        out.serverName = val;
        break;
      case "insecure-skip-verify":
        if (typeof val !== "boolean") return "`tls.insecure-skip-verify` must be true or false.";
        out.insecureSkipVerify = val;
        break;
      default:
        return `Unknown TLS key "${k}": use ca, cert, key, server-name or insecure-skip-verify.`;
    }
  }
  return out;
}
