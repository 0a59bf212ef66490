// Starts the Python grpcio echo server (tests/fixtures/python/echo_server.py) with Debian's python3-grpcio.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";

/** Debian's Python, which has python3-grpcio; other Pythons on PATH may not. */
export const PYTHON = "/usr/bin/python3";
const SERVER = join(__dirname, "../fixtures/python/echo_server.py");

/** A running Python server. */
export interface PythonServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts the echo server, plaintext or with the given certificate and key. */
export function startPythonServer(tls?: { cert: string; key: string }): Promise<PythonServer> {
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, tls === undefined ? [SERVER] : [SERVER, tls.cert, tls.key], { stdio: ["pipe", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`python server did not start: ${err}`)), 15_000);
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => reject(new Error(`python server exited ${code}: ${err}`)));
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.stdin.end();
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
