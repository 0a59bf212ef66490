import { fenced } from "../transcript/safeMarkdown";
import { formatDuration } from "./parseDuration";
import type { CallSpec, TlsSpec } from "./CallSpec";
import type { JsonValue } from "../json/JsonValue";
import { templateYaml, type TemplateNode } from "./TemplateNode";

/**
 * The YAML of a `grpc` block that makes the same call as `spec`: only keys
 * that differ from their defaults, messages in JSON flow style (valid YAML),
 * or a request template in block style with its comments.
 */
export function specToYaml(spec: CallSpec, options: { manyRequests?: boolean; template?: TemplateNode } = {}): string {
  const lines = [`method: ${yamlString(spec.method)}`];
  if (spec.target !== null) lines.push(`target: ${yamlString(spec.target)}`);
  if (spec.proto !== null) lines.push(`proto: ${yamlString(spec.proto)}`);
  if (spec.importPaths.length > 0) lines.push(`import-paths: ${JSON.stringify(spec.importPaths)}`);
  if (spec.tls !== null) lines.push(`tls: ${JSON.stringify(tlsYaml(spec.tls))}`);
  if (Object.keys(spec.metadata).length > 0) lines.push(`metadata: ${JSON.stringify(spec.metadata)}`);
  if (spec.deadlineMs !== null) lines.push(`deadline: ${formatDuration(spec.deadlineMs)}`);
  if (spec.intervalMs > 0) lines.push(`interval: ${formatDuration(spec.intervalMs)}`);
  if (spec.interactive) lines.push("interactive: true");
  const json = (v: JsonValue): string => JSON.stringify(v);
  if (options.template !== undefined) {
    // A template is written as block YAML, so that its comments (the other members of a oneof) can stay.
    const node: TemplateNode = options.manyRequests === true ? { kind: "list", items: [options.template] } : options.template;
    lines.push(...templateYaml({ kind: "object", entries: [{ key: options.manyRequests === true ? "requests" : "request", node }] }));
  } else if (options.manyRequests === true || spec.requests.length > 1) {
    lines.push("requests:");
    for (const r of spec.requests) lines.push(`  - ${json(r)}`);
  } else if (spec.requests.length === 1) {
    lines.push(`request: ${json(spec.requests[0] ?? {})}`);
  }
  return lines.join("\n");
}

/** A fenced `grpc` block around the YAML that nothing inside can close, each line prefixed (use "> " inside a callout). */
export function grpcFence(yaml: string, prefix = ""): string {
  return fenced(yaml, "grpc").map((l) => `${prefix}${l}`).join("\n");
}

/**
 * A string as a YAML scalar that reads back as the same string: plain when it
 * is a simple name, path or address, else JSON-quoted (valid YAML). Names that
 * came from a server's reflection can hold anything and must not become YAML.
 */
export function yamlString(text: string): string {
  const plain = /^[A-Za-z0-9_][\w./:-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|[-+]?[\d._]+(e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

/** TLS settings with the keys a block writes them with (`server-name`, `insecure-skip-verify`). */
function tlsYaml(tls: boolean | TlsSpec): boolean | Record<string, string | boolean> {
  if (typeof tls === "boolean") return tls;
  const out: Record<string, string | boolean> = {};
  if (tls.ca !== undefined) out["ca"] = tls.ca;
  if (tls.cert !== undefined) out["cert"] = tls.cert;
  if (tls.key !== undefined) out["key"] = tls.key;
  if (tls.serverName !== undefined) out["server-name"] = tls.serverName;
  if (tls.insecureSkipVerify !== undefined) out["insecure-skip-verify"] = tls.insecureSkipVerify;
  return out;
}
