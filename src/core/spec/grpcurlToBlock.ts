import { parse, type ParseEntry } from "shell-quote";
import type { JsonValue } from "../json/JsonValue";
import { createCallSpec, type TlsSpec } from "./CallSpec";
import { parseYamlValue } from "./parseYamlValue";
import { specToYaml } from "./specToYaml";

/** The flags taken, each with whether it takes a value. Flags that only change grpcurl's own output are accepted and dropped. */
const FLAGS: Record<string, boolean> = {
  plaintext: false,
  insecure: false,
  cacert: true,
  cert: true,
  key: true,
  authority: true,
  servername: true,
  "import-path": true,
  proto: true,
  protoset: true,
  H: true,
  "rpc-header": true,
  "reflect-header": true,
  d: true,
  "max-time": true,
  format: true,
  "emit-defaults": false,
  "allow-unknown-fields": false,
  v: false,
  vv: false,
};

/**
 * A grpcurl command line (as grpcurl's README writes them) as the YAML of a
 * `grpc` block that makes the same call: `list` and `describe` become a
 * target-only discovery block, `$NAME` becomes `{{NAME}}`. Shell quoting is
 * read by shell-quote. A flag grpcurl has that a block cannot say, or a
 * request read from stdin (`-d @`), is a string that says so.
 */
export function grpcurlToBlock(command: string): { yaml: string } | { error: string } {
  const words: string[] = [];
  const entries: ParseEntry[] = parse(command.replace(/\\\r?\n/g, " "), (name) => `{{${name}}}`);
  for (const entry of entries) {
    if (typeof entry === "string") words.push(entry);
    else if ("comment" in entry) break;
    // A redirection (a here-document for -d @) ends the command.
    else if ("op" in entry && (entry.op === "<" || entry.op === "<<" || entry.op === "<<<")) break;
    else return { error: `The command has shell syntax a block cannot hold (${"op" in entry ? entry.op : "a pattern"}): paste one grpcurl command.` };
  }
  if (words[0] === "grpcurl" || words[0]?.endsWith("/grpcurl") === true) words.shift();
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    if (!w.startsWith("-") || w === "-") {
      positionals.push(w);
      continue;
    }
    const [flag = "", inline] = w.replace(/^--?/, "").split(/=(.*)/s, 2);
    const takes = FLAGS[flag];
    if (takes === undefined) return { error: `grpcurl's -${flag} has no counterpart in a grpc block.` };
    let value = "true";
    if (takes) {
      const next = inline ?? words[++i];
      if (next === undefined) return { error: `-${flag} needs a value.` };
      value = next;
    }
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const one = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const [address, verb] = positionals;
  if (address === undefined || address === "list" || address === "describe") return { error: "The command names no server address (host:port): a block calls a server." };
  if (one("d") === "@") return { error: "-d @ reads the request from stdin; put the JSON after -d instead." };
  let tls: boolean | TlsSpec | null = null;
  if (one("plaintext") !== undefined) tls = false;
  else if (["cacert", "cert", "key", "authority", "servername", "insecure"].some((f) => values.has(f))) {
    tls = {};
    if (one("cacert") !== undefined) tls.ca = one("cacert");
    if (one("cert") !== undefined) tls.cert = one("cert");
    if (one("key") !== undefined) tls.key = one("key");
    const name = one("authority") ?? one("servername");
    if (name !== undefined) tls.serverName = name;
    if (one("insecure") !== undefined) tls.insecureSkipVerify = true;
  } else tls = true;
  const metadata: Record<string, string> = {};
  for (const h of [...(values.get("H") ?? []), ...(values.get("rpc-header") ?? [])]) {
    const colon = h.indexOf(":");
    if (colon <= 0) return { error: `-H "${h}" is not "name: value".` };
    metadata[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  const proto = one("protoset") ?? values.get("proto")?.[0] ?? null;
  const importPaths = values.get("import-path") ?? [];
  const discover = verb === undefined || verb === "list" || verb === "describe";
  const requests = one("d") === undefined ? [] : jsonStream(one("d") ?? "");
  if (typeof requests === "string") return { error: requests };
  const maxTime = one("max-time");
  const deadlineMs = maxTime === undefined ? null : Math.round(Number(maxTime) * 1000);
  if (deadlineMs !== null && !Number.isFinite(deadlineMs)) return { error: `-max-time ${maxTime ?? ""} is not a number of seconds.` };
  const spec = createCallSpec(discover ? "" : verb, { target: address, proto, importPaths, tls, metadata, deadlineMs, requests, discover });
  const yaml = specToYaml(spec, { manyRequests: requests.length > 1 });
  // A discovery block has no method: the first line goes.
  return { yaml: discover ? yaml.split("\n").slice(1).join("\n") : yaml };
}

/** One JSON value, or several one after another as grpcurl's -d takes them for streams; a string when it does not read. */
function jsonStream(text: string): JsonValue[] | string {
  const out: JsonValue[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) {
        try {
          out.push(parseYamlValue(text.slice(start, i + 1)));
        } catch {
          return `-d does not read as JSON near "${text.slice(start, start + 40)}".`;
        }
      }
    }
  }
  return depth === 0 && out.length > 0 ? out : "-d does not read as JSON messages.";
}
