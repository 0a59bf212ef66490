/** The metadata key that carries the per-launch token. */
export const TOKEN_HEADER = "x-grpc-callouts-token";

/** The prefix of the sidecar's one-line ready handshake on stdout. */
export const READY_PREFIX = "GRPC_CALLOUTS_READY ";

/** What the sidecar announces when it is ready. */
export interface ReadyInfo {
  port: number;
  /** The gRPC-Web and Connect port; 0 when the sidecar has none. */
  webPort: number;
  pid: number;
  node: string;
}

/** The handshake line for `info`, newline included. */
export function readyLine(info: ReadyInfo): string {
  return `${READY_PREFIX}${JSON.stringify(info)}\n`;
}

/** Parses a handshake line; null for any other line. */
export function parseReadyLine(line: string): ReadyInfo | null {
  if (!line.startsWith(READY_PREFIX)) return null;
  try {
    const v = JSON.parse(line.slice(READY_PREFIX.length)) as Partial<ReadyInfo>;
    if (typeof v.port !== "number" || !Number.isInteger(v.port) || v.port <= 0 || v.port > 65535) return null;
    const web = typeof v.webPort === "number" && Number.isInteger(v.webPort) && v.webPort > 0 && v.webPort <= 65535 ? v.webPort : 0;
    return { port: v.port, webPort: web, pid: typeof v.pid === "number" ? v.pid : 0, node: typeof v.node === "string" ? v.node : "" };
  } catch {
    return null;
  }
}
