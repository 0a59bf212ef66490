// The launcher's three runtimes, for real: under jest process.execPath is node, so the Obsidian runtime runs too.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getPriority } from "node:os";
import { credentials, Client, Metadata } from "@grpc/grpc-js";
import { Code } from "../../src/core/errors/Code";
import { demoSpec } from "../../src/core/spec/demoSpec";
import { parseReadyLine, readyLine } from "../../src/sidecar/handshake";
import { SIDECAR_FILE_NAME, sha256 } from "../../src/sidecar/sidecarFile";
import { startCall } from "../../src/call/startCall";
import { collect, alive, tempDir, testHost, testLauncher, waitFor } from "../support/sidecar";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "../support/sidecarBundle";
import { Launcher, SIDECAR_PRIORITY } from "../../src/sidecar/Launcher";

describe("ready handshake", () => {
  test("round-trips and rejects anything else", () => {
    expect(parseReadyLine(readyLine({ port: 5000, webPort: 5001, pid: 7, node: "20.0.0" }).trim())).toEqual({ port: 5000, webPort: 5001, pid: 7, node: "20.0.0" });
    // A sidecar of an older version announces no web port.
    expect(parseReadyLine('GRPC_CALLOUTS_READY {"port":5000,"pid":7,"node":"20.0.0"}')).toEqual({ port: 5000, webPort: 0, pid: 7, node: "20.0.0" });
    expect(parseReadyLine("hello")).toBeNull();
    expect(parseReadyLine('GRPC_CALLOUTS_READY {"port":0}')).toBeNull();
    expect(parseReadyLine("GRPC_CALLOUTS_READY {bad json")).toBeNull();
  });
});

describe.each([
  ["obsidian", {}],
  ["node", { nodePath: "" }],
  ["in-process", {}],
] as const)("the %s runtime", (runtime, extra) => {
  const t = testHost({ runtime, ...extra });
  afterAll(() => t.close());

  test("starts, reports itself, answers a unary call, and stops", async () => {
    expect(t.launcher.status().state).toBe("off");
    const ep = await t.launcher.start();
    const s = t.launcher.status();
    expect(s.state).toBe("ready");
    expect(s.runtime).toBe(runtime);
    expect(s.port).toBe(ep.port);
    expect(ep.address).toBe(`127.0.0.1:${ep.port}`);
    expect(s.startedAt).not.toBeNull();
    if (runtime === "in-process") expect(s.pid).toBe(process.pid);
    else {
      expect(s.pid).not.toBe(process.pid);
      // A busy sidecar yields the core to the host's UI thread.
      expect(getPriority(s.pid ?? 0)).toBe(SIDECAR_PRIORITY);
    }
    const events = await collect(startCall(demoSpec("unary"), t.host).events);
    expect(events.at(-1)).toMatchObject({ type: "status", code: Code.OK });
    const pid = s.pid ?? 0;
    await t.launcher.stop();
    expect(t.launcher.status().state).toBe("off");
    if (runtime !== "in-process") expect(await waitFor(() => !alive(pid), 2000)).toBe(true);
  });
});

describe("launcher behaviour", () => {
  test("the auto ladder falls through broken runtimes to the next one", async () => {
    const l = testLauncher({ runtime: "auto", execPath: "/nonexistent/obsidian", nodePath: "/nonexistent/node" });
    const ep = await l.start();
    const s = l.status();
    expect(s.runtime).toBe("in-process");
    expect(s.attempts.map((a) => a.runtime)).toEqual(["obsidian", "node"]);
    expect(s.attempts[0]?.error).toMatch(/could not spawn|exited|skipped without spawning/);
    expect(ep.port).toBeGreaterThan(0);
    await l.stop();
  });

  test("a forced runtime that cannot start fails clearly", async () => {
    const l = testLauncher({ runtime: "node", nodePath: "/nonexistent/node" });
    await expect(l.start()).rejects.toThrow(/node runtime could not start the sidecar/);
    expect(l.status().state).toBe("failed");
  });

  test("concurrent starts share one launch; restart after a crash", async () => {
    const l = testLauncher({ runtime: "obsidian" });
    const [a, b] = await Promise.all([l.start(), l.start()]);
    expect(a).toBe(b);
    const pid = l.status().pid ?? 0;
    process.kill(pid, "SIGKILL");
    expect(await waitFor(() => l.status().state === "failed", 2000)).toBe(true);
    expect(l.status().error).toMatch(/exited/);
    const c = await l.start();
    expect(l.status().state).toBe("ready");
    expect(l.status().pid).not.toBe(pid);
    expect(c.port).toBeGreaterThan(0);
    await l.stop();
  });

  test("the sidecar file is written owner-only and rewritten when tampered", async () => {
    const dir = tempDir();
    const l = new Launcher({ runtime: "obsidian", program: { dir, source: SIDECAR_SOURCE, hash: SIDECAR_HASH } });
    await l.start();
    await l.stop();
    const file = join(dir, SIDECAR_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, "process.stdout.write('GRPC_CALLOUTS_READY {\"port\":1}\\n')");
    await l.start();
    expect(sha256(readFileSync(file))).toBe(SIDECAR_HASH);
    expect(l.status().log.some((line) => line.includes("wrote"))).toBe(true);
    await l.stop();
  });

  test("calls without the token get UNAUTHENTICATED", async () => {
    const l = testLauncher({ runtime: "obsidian" });
    const ep = await l.start();
    const client = new Client(ep.address, credentials.createInsecure());
    const code = await new Promise<number>((resolve) => {
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        new Metadata(),
        (err) => resolve(err?.code ?? 0),
      );
    });
    expect(code).toBe(Code.UNAUTHENTICATED);
    client.close();
    await l.stop();
  });
});
