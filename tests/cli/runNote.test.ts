// The terminal runner as a user runs it: the built dist/cli.cjs on real notes.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCliArgs } from "../../src/cli/parseCliArgs";
import { tempDir } from "../support/sidecar";
import { startPythonServer } from "../support/python";

const ROOT = join(__dirname, "../..");
const CLI = join(ROOT, "dist/cli.cjs");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("runs the example note's four callouts live and exits 0", () => {
  const r = run(["examples/vault/gRPC patterns.md", "--interval", "20"]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const heads = r.out.split("\n").filter((l) => l.startsWith("▶"));
  expect(heads.map((h) => h.replace(/\s+line \d+$/, ""))).toEqual([
    "▶ Simple RPC (Unary RPC)",
    "▶ Server-Streaming RPC (Server-streaming RPC)",
    "▶ Client-Streaming RPC (Client-streaming RPC)",
    "▶ Bidirectional Streaming RPC (Bidirectional streaming RPC)",
  ]);
  expect(r.out).toMatch(/sidecar: obsidian runtime, pid \d+, 127\.0\.0\.1:\d+/);
  expect(r.out.match(/✔ OK in \d+ ms/g)).toHaveLength(4);
  expect(r.out).toMatch(/✔ OK in \d+ ms \(1 sent, 1 received\)/);
  expect(r.out).toMatch(/✔ OK in \d+ ms \(1 sent, 5 received\)/);
  expect(r.out).toMatch(/✔ OK in \d+ ms \(5 sent, 1 received\)/);
  expect(r.out).toMatch(/✔ OK in \d+ ms \(5 sent, 7 received\)/);
  expect(r.out).toMatch(/\+\d+ ms\s+← received \{"seq":5,"topic":"ticks"/);
  expect(r.out).toContain("All 4 runs ended in OK.");
});

test("runs grpc blocks, reports failures inline with their line, and exits 1", () => {
  const dir = tempDir();
  const note = join(dir, "blocks.md");
  writeFileSync(
    note,
    [
      "# Blocks",
      "",
      "```grpc",
      "method: grpccallouts.demo.v1.PatternService/Ask",
      "request: {question: from a block}",
      "```",
      "",
      "```grpc",
      "method: grpccallouts.demo.v1.PatternService/Ask",
      "request: {question: [unclosed",
      "```",
      "",
      "```grpc",
      "method: grpccallouts.demo.v1.PatternService/Ask",
      "request: {question: boom, fault: {code: 9, message: not now}}",
      "```",
    ].join("\n"),
  );
  const r = run([note, "--runtime", "in-process"]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/sidecar: in-process runtime/);
  expect(r.out).toMatch(/← received \{"answer":"Hello from the sidecar. You asked \\"from a block\\"/);
  expect(r.out).toMatch(/✖ INVALID_ARGUMENT: line 1\d, column \d+: YAML syntax error/);
  expect(r.out).toMatch(/status\s+FAILED_PRECONDITION: not now/);
  expect(r.out).toContain("2 of 3 runs did not end in OK.");
});

test("bad usage exits 2 with the usage text", () => {
  const r = run(["--runtime", "warp"]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/Usage: grpc-callouts/);
});

describe("parseCliArgs", () => {
  test.each([
    [["a.md"], { note: "a.md", runtime: "auto", concurrent: false, count: 5, intervalMs: 200 }],
    [["a.md", "--concurrent", "--count", "3", "--interval", "0"], { concurrent: true, count: 3, intervalMs: 0 }],
    [["a.md", "--runtime", "in-process"], { runtime: "in-process" }],
  ])("%j", (argv, expected) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });
  test.each([[[]], [["a.md", "b.md"]], [["a.md", "--count", "0"]], [["--what"]]])("%j is an error", (argv) => {
    expect(parseCliArgs(argv)).toHaveProperty("error");
  });
});

test("runs grpc blocks against Python grpcio with a .proto from the note's folder and --var values, masked", async () => {
  const py = await startPythonServer();
  try {
    const dir = tempDir();
    mkdirSync(join(dir, "protos/echo/v1"), { recursive: true });
    copyFileSync(join(ROOT, "tests/fixtures/python/echo.proto"), join(dir, "protos/echo.proto"));
    copyFileSync(join(ROOT, "tests/fixtures/python/echo/v1/types.proto"), join(dir, "protos/echo/v1/types.proto"));
    const note = join(dir, "echo.md");
    writeFileSync(
      note,
      [
        "---",
        "grpc:",
        `  target: 127.0.0.1:${py.port}`,
        "  proto: protos/echo.proto",
        "---",
        "> [!example] Echo once",
        "> ```grpc",
        "> method: echo.v1.Echo/Unary",
        '> metadata: {x-echo-key: "{{key}}"}',
        "> request: {text: hello, mood: HAPPY}",
        "> ```",
        "",
        "```grpc",
        "method: echo.v1.Echo/ClientStream",
        "requests: [{parts: [a]}, {parts: [b]}]",
        "```",
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, [CLI, note, "--var", "key=hunter2-secret"], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('← received {"text":"hello","mood":"HAPPY"}');
    expect(r.stdout).toContain('← received {"parts":["a","b"]}');
    expect(r.stdout).toMatch(/headers\s+.*x-echo-key: ••••••/);
    expect(r.stdout).not.toContain("hunter2-secret");
    expect(r.stdout).toContain("All 2 runs ended in OK.");
  } finally {
    await py.stop();
  }
});
