// Faults: a sidecar killed mid-stream, one that never becomes ready, one that crashes in a loop,
// and servers that are unreachable, never answer, or drop the connection.
import { spawnSync } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { Code } from "../../src/core/errors/Code";
import { createCallSpec } from "../../src/core/spec/CallSpec";
import { demoSpec } from "../../src/core/spec/demoSpec";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { startCall } from "../../src/call/startCall";
import { Launcher } from "../../src/sidecar/Launcher";
import { sha256 } from "../../src/sidecar/sidecarFile";
import { alive, collect, tempDir, testHost, waitFor } from "../support/sidecar";
import { SIDECAR_SOURCE } from "../support/sidecarBundle";

const statusOf = (events: CallEvent[]) => events.find((e): e is Extract<CallEvent, { type: "status" }> => e.type === "status");

test("a sidecar killed mid-stream fails the call within 1 s with UNAVAILABLE; the next run restarts it", async () => {
  const t = testHost({ runtime: "obsidian" });
  const call = startCall(demoSpec("server_streaming", { count: 10_000, intervalMs: 20 }), t.host);
  const events: CallEvent[] = [];
  let killedAt = 0;
  let pid = 0;
  for await (const e of call.events) {
    events.push(e);
    if (e.type === "message" && e.direction === "received" && e.index === 3) {
      pid = t.launcher.status().pid ?? 0;
      killedAt = Date.now();
      process.kill(pid, "SIGKILL");
    }
  }
  const status = statusOf(events);
  expect(Date.now() - killedAt).toBeLessThan(1000);
  expect(status?.code).toBe(Code.UNAVAILABLE);
  expect(status?.hint).toMatch(/Restart the sidecar/);
  expect(await waitFor(() => t.launcher.status().state === "failed", 2000)).toBe(true);
  const again = await collect(startCall(demoSpec("unary"), t.host).events);
  expect(statusOf(again)?.code).toBe(Code.OK);
  expect(t.launcher.status().pid).not.toBe(pid);
  await t.close();
});

function fakeProgram(source: string) {
  return { dir: tempDir(), source, hash: sha256(source) };
}

test("a sidecar that never becomes ready times out, and auto moves on to the next runtime", async () => {
  // The real program, whose main never says it is ready: the in-process runtime still takes its server.
  const never = `${SIDECAR_SOURCE}\nmodule.exports = { ...module.exports, main: () => setInterval(() => {}, 1000) };\n`;
  const l = new Launcher({ runtime: "auto", probeTimeoutMs: 500, program: fakeProgram(never) });
  const t0 = Date.now();
  await l.start();
  const s = l.status();
  expect(s.runtime).toBe("in-process");
  expect(s.attempts.map((a) => [a.runtime, a.error])).toEqual([
    ["obsidian", "no ready handshake within 500 ms"],
    ["node", "no ready handshake within 500 ms"],
  ]);
  expect(Date.now() - t0).toBeLessThan(5000);
  await l.stop();
});

test("a sidecar that crashes at start, again and again, backs off instead of spawning in a storm", async () => {
  const program = fakeProgram("process.exit(3);\n");
  const l = new Launcher({ runtime: "obsidian", program });
  const errors: string[] = [];
  for (let i = 0; i < 10; i++) errors.push(await l.start().then(() => "started", (e: Error) => e.message));
  const spawned = l.status().log.filter((line) => line.includes("obsidian runtime failed")).length;
  expect(spawned).toBe(2);
  expect(errors[0]).toMatch(/exited before it was ready \(code 3\)/);
  expect(errors[9]).toMatch(/failed 2 times in a row; the next try is in 1 s/);
  expect(l.status().state).toBe("failed");
  // After the wait, one more try is allowed, and the wait doubles.
  await new Promise((r) => setTimeout(r, 1100));
  expect(await l.start().then(() => "started", (e: Error) => e.message)).toMatch(/exited before it was ready/);
  expect(await l.start().then(() => "started", (e: Error) => e.message)).toMatch(/next try is in 2 s/);
  await l.stop();
});

test("the sidecar listens on 127.0.0.1 only", async () => {
  const t = testHost({ runtime: "obsidian" });
  const ep = await t.launcher.start();
  // /proc/net/tcp lists listening sockets with their local address: 0100007F is 127.0.0.1.
  const hex = ep.port.toString(16).toUpperCase().padStart(4, "0");
  const listening = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .filter((l) => l.includes(`:${hex} `) && / 0A /.test(l))
    .map((l) => l.trim().split(/\s+/)[1]);
  expect(listening).toEqual([`0100007F:${hex}`]);
  expect(readFileSync("/proc/net/tcp6", "utf8")).not.toMatch(new RegExp(`:${hex} 0{32}:0000 0A`));
  await t.close();
});

describe("servers that misbehave", () => {
  const t = testHost({ runtime: "in-process" });
  afterAll(() => t.close());

  test("a server that accepts connections and never answers is cut off by the deadline", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const t0 = Date.now();
    const spec = createCallSpec("grpccallouts.demo.v1.PatternService/Ask", { target: `127.0.0.1:${port}`, deadlineMs: 800, requests: [{}] });
    const status = statusOf(await collect(startCall(spec, t.host).events));
    expect(status?.code).toBe(Code.DEADLINE_EXCEEDED);
    expect(Date.now() - t0).toBeLessThan(3000);
    for (const s of sockets) s.destroy();
    silent.close();
  });

  test("an unreachable target fails fast with UNAVAILABLE", async () => {
    const spec = createCallSpec("grpccallouts.demo.v1.PatternService/Ask", { target: "127.0.0.1:1", deadlineMs: 5000, requests: [{}] });
    const t0 = Date.now();
    const status = statusOf(await collect(startCall(spec, t.host).events));
    expect(status?.code).toBe(Code.UNAVAILABLE);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

test("sidecar processes do not outlive their launcher", async () => {
  const t = testHost({ runtime: "node" });
  await t.launcher.start();
  const pid = t.launcher.status().pid ?? 0;
  expect(alive(pid)).toBe(true);
  await t.close();
  expect(await waitFor(() => !alive(pid), 2000)).toBe(true);
});

test("another process without the token gets UNAUTHENTICATED", async () => {
  const t = testHost({ runtime: "obsidian" });
  const ep = await t.launcher.start();
  const script = `
    const grpc = require("@grpc/grpc-js");
    const c = new grpc.Client("${ep.address}", grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set("x-grpc-callouts-token", "not-the-token");
    c.makeUnaryRequest("/grpc.health.v1.Health/Check", (b) => b, (b) => b, Buffer.alloc(0), md, (err) => {
      process.stdout.write(String(err ? err.code : 0));
      process.exit(0);
    });`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8", timeout: 20_000 });
  expect(r.stdout).toBe(String(Code.UNAUTHENTICATED));
  await t.close();
});
