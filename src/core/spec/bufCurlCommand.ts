import type { CallSpec } from "./CallSpec";
import { isUrlTarget } from "./Protocol";
import { isLoopback } from "./isLoopback";
import { shellLine } from "./grpcurlCommand";

/** The URL of a block's method: its target as a URL (http for loopback and `tls: false`, else https) and the method path. */
function methodUrl(spec: CallSpec): string {
  const target = spec.target ?? "127.0.0.1:PORT";
  const plaintext = spec.tls === false || (spec.tls === null && isLoopback(target));
  const base = isUrlTarget(target) ? target.replace(/\/+$/, "") : `${plaintext ? "http" : "https"}://${target}`;
  return `${base}/${spec.method}`;
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

/**
 * The `buf curl` command that makes the call a gRPC-Web or Connect block
 * describes (grpcurl speaks plain gRPC only): `--protocol`, HTTP/2 prior
 * knowledge for `http: 2` in plaintext, `--schema` for a `.proto` or
 * descriptor set, the TLS files, `-H` per metadata entry, `-d` and
 * `--max-time`. Variables stay `"$NAME"` placeholders, as in grpcurlCommand.
 */
export function bufCurlCommand(spec: CallSpec): string {
  const url = methodUrl(spec);
  const args = ["buf", "curl", "--protocol", spec.protocol === "grpc-web" ? "grpcweb" : spec.protocol];
  if (spec.http === "2" && url.startsWith("http:")) args.push("--http2-prior-knowledge");
  if (spec.proto !== null) args.push("--schema", spec.proto);
  const tls = spec.tls;
  if (typeof tls === "object" && tls !== null) {
    if (tls.ca !== undefined) args.push("--cacert", tls.ca);
    if (tls.cert !== undefined) args.push("--cert", tls.cert);
    if (tls.key !== undefined) args.push("--key", tls.key);
    if (tls.serverName !== undefined) args.push("--servername", tls.serverName);
    if (tls.insecureSkipVerify === true) args.push("--insecure");
  }
  for (const [k, v] of Object.entries(spec.metadata)) args.push("-H", `${k}: ${v}`);
  if (spec.requests.length > 0) args.push("-d", spec.requests.map(json).join("\n"));
  if (spec.deadlineMs !== null) args.push("--max-time", String(spec.deadlineMs / 1000));
  args.push(url);
  return shellLine(args);
}

/** The plain `curl` command of a Connect unary call: a JSON POST to the method's URL. */
export function connectCurlCommand(spec: CallSpec): string {
  const args = ["curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json"];
  for (const [k, v] of Object.entries(spec.metadata)) args.push("-H", `${k}: ${v}`);
  if (spec.deadlineMs !== null) args.push("-H", `Connect-Timeout-Ms: ${Math.round(spec.deadlineMs)}`);
  args.push("-d", spec.requests.length > 0 ? json(spec.requests[0]) : "{}");
  args.push(methodUrl(spec));
  return shellLine(args);
}
