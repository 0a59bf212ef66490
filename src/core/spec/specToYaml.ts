import { formatDuration } from "./parseDuration";
import type { CallSpec } from "./CallSpec";
import type { JsonValue } from "../errors/CallError";

/**
 * The YAML of a `grpc` block that makes the same call as `spec`: only keys
 * that differ from their defaults, messages in JSON flow style (valid YAML).
 */
export function specToYaml(spec: CallSpec, options: { manyRequests?: boolean } = {}): string {
  const lines = [`method: ${spec.method}`];
  if (spec.target !== null) lines.push(`target: ${spec.target}`);
  if (spec.proto !== null) lines.push(`proto: ${spec.proto}`);
  if (spec.importPaths.length > 0) lines.push(`import-paths: ${JSON.stringify(spec.importPaths)}`);
  if (spec.tls !== null) lines.push(`tls: ${JSON.stringify(spec.tls)}`);
  if (Object.keys(spec.metadata).length > 0) lines.push(`metadata: ${JSON.stringify(spec.metadata)}`);
  if (spec.deadlineMs !== null) lines.push(`deadline: ${formatDuration(spec.deadlineMs)}`);
  if (spec.intervalMs > 0) lines.push(`interval: ${formatDuration(spec.intervalMs)}`);
  if (spec.interactive) lines.push("interactive: true");
  const json = (v: JsonValue): string => JSON.stringify(v);
  if (options.manyRequests === true || spec.requests.length > 1) {
    lines.push("requests:");
    for (const r of spec.requests) lines.push(`  - ${json(r)}`);
  } else if (spec.requests.length === 1) {
    lines.push(`request: ${json(spec.requests[0] ?? {})}`);
  }
  return lines.join("\n");
}

/** A fenced `grpc` block around the YAML, each line prefixed (use "> " inside a callout). */
export function grpcFence(yaml: string, prefix = ""): string {
  return ["```grpc", ...yaml.split("\n"), "```"].map((l) => `${prefix}${l}`).join("\n");
}
