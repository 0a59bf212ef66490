import { readyLine } from "./handshake";
import { startServer, type SidecarServer } from "./startServer";

/** How long after the ready line the code cache is written. */
export const CODE_CACHE_DELAY_MS = 1000;

/** Asks the loader to write V8's code cache, if it wants one written (once; a no-op otherwise). */
function writeCodeCache(): void {
  (globalThis as { grpcCalloutsWriteCodeCache?: () => void }).grpcCalloutsWriteCodeCache?.();
}

/**
 * Runs this process as the sidecar: reads one JSON line {"token": "..."}
 * from stdin, starts the gRPC server on 127.0.0.1 with an OS-chosen port,
 * prints the ready handshake, and exits when stdin closes (its parent went
 * away, even by SIGKILL), when its parent pid changes, or on SIGTERM/SIGINT.
 */
export function runSidecarProcess(): void {
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };

  let server: SidecarServer | null = null;
  let exiting = false;
  const exit = (why: string, code = 0): void => {
    if (exiting) return;
    exiting = true;
    log(`exiting: ${why}`);
    // A sidecar stopped within a second of its start still leaves its code cache for the next one.
    if (server !== null) writeCodeCache();
    const hard = setTimeout(() => process.exit(code), 500);
    hard.unref();
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(code));
  };

  const parentPid = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parentPid) exit("parent process is gone");
  }, 250);
  watchdog.unref();

  process.on("SIGTERM", () => exit("SIGTERM"));
  process.on("SIGINT", () => exit("SIGINT"));
  process.on("uncaughtException", (e) => {
    log(`uncaught: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  });

  let buffer = "";
  let started = false;
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    if (started) return;
    buffer += chunk;
    const nl = buffer.indexOf("\n");
    if (nl < 0) return;
    started = true;
    let token: string | null = null;
    try {
      const init = JSON.parse(buffer.slice(0, nl)) as { token?: unknown };
      token = typeof init.token === "string" && init.token !== "" ? init.token : null;
    } catch {
      return exit("the first stdin line was not the launch JSON", 2);
    }
    if (token === null) return exit("no token was given", 2);
    startServer({ token, log })
      .then((s) => {
        server = s;
        process.stdout.write(readyLine({ port: s.port, webPort: s.webPort, pid: process.pid, node: process.versions.node }));
        log(`ready on 127.0.0.1:${s.port}, gRPC-Web and Connect on ${s.webPort} (node ${process.versions.node})`);
        // The loader (codeCache.ts) writes V8's code cache a moment later, when the first call (the
        // warm-up's health check, or the click's call) has compiled the call path too.
        setTimeout(writeCodeCache, CODE_CACHE_DELAY_MS).unref();
      })
      .catch((e: unknown) => exit(`could not start: ${String(e)}`, 1));
  });
  process.stdin.on("end", () => exit("stdin closed: the parent went away"));
  process.stdin.on("error", () => exit("stdin failed"));
}
