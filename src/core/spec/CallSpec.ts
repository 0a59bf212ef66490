import type { SourceLocation } from "../errors/CallError";
import type { JsonValue } from "../json/JsonValue";
import type { Expectation } from "./Expectation";
import type { HttpVersion, Protocol } from "./Protocol";

/** TLS settings of a call; `true` means TLS with the system's roots. */
export interface TlsSpec {
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
}

/** Everything needed to make one call, as plain data. */
export interface CallSpec {
  /** Fully qualified method, normalised to "pkg.Service/Method". */
  method: string;
  /** host:port, unix:/path, or (for gRPC-Web and Connect) an http(s):// URL; null means the embedded sidecar. */
  target: string | null;
  /** The wire protocol. */
  protocol: Protocol;
  /** The HTTP version asked for; null: 2 for gRPC, and for gRPC-Web and Connect 1.1 in plaintext and negotiated (ALPN) over TLS. */
  http: HttpVersion | null;
  /** Vault path of a .proto file; null means server reflection. */
  proto: string | null;
  importPaths: string[];
  /** null chooses by target: plaintext for loopback, TLS otherwise. */
  tls: boolean | TlsSpec | null;
  metadata: Record<string, string>;
  deadlineMs: number | null;
  /** Request messages as JSON; one for unary and server streaming. */
  requests: JsonValue[];
  /** Pause between streamed requests. */
  intervalMs: number;
  /** Open the stream with a composer instead of sending `requests`. */
  interactive: boolean;
  /** Values put in by `{{variables}}`: never shown in transcripts. */
  secrets: string[];
  /** The names of the variables put in, such as "token" or "env.API_KEY", for the outbound confirmation. */
  variablesUsed: string[];
  /** A block with a target and no method lists the server's services instead of calling. */
  discover: boolean;
  /** The call's name in its note, so that other blocks can reference what it brought back; null when unnamed. */
  name: string | null;
  /**
   * Parts of what this call brings back that other blocks send as metadata
   * (`response.token`, `headers.x-session`): masked in this call's
   * transcript too, as tokens must never show.
   */
  responseSecrets: string[];
  /** What the call's outcome must be for the run to pass; null: OK is enough. */
  expect: Expectation | null;
  /** Where each top-level key and each request sits in the note, when parsed from text. */
  locations: Partial<Record<string, SourceLocation>>;
}

/** A CallSpec with every optional part at its default. */
export function createCallSpec(method: string, init: Partial<CallSpec> = {}): CallSpec {
  return {
    method: normalizeMethod(method),
    target: null,
    protocol: "grpc",
    http: null,
    proto: null,
    importPaths: [],
    tls: null,
    metadata: {},
    deadlineMs: null,
    requests: [],
    intervalMs: 0,
    interactive: false,
    secrets: [],
    variablesUsed: [],
    discover: false,
    name: null,
    responseSecrets: [],
    expect: null,
    locations: {},
    ...init,
  };
}

/** "pkg.Service.Method", "/pkg.Service/Method" and "pkg.Service/Method" all become "pkg.Service/Method". */
export function normalizeMethod(method: string): string {
  const m = method.trim().replace(/^\//, "");
  if (m.includes("/")) return m;
  const dot = m.lastIndexOf(".");
  return dot > 0 ? `${m.slice(0, dot)}/${m.slice(dot + 1)}` : m;
}

/** Splits "pkg.Service/Method" into its service and method names. */
export function splitMethod(method: string): { service: string; name: string } {
  const slash = method.lastIndexOf("/");
  return { service: method.slice(0, slash), name: method.slice(slash + 1) };
}
