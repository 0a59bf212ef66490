// The terminal runner as a user runs it: the built dist/cli.cjs on real notes.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
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
  expect(r.out).toContain("All 4 runs ended as expected.");
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
  expect(r.out).toContain("2 of 3 runs did not end as expected.");
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
    [["a.md", "-I", "/abs/protos", "--import-path", "rel"], { importPaths: ["/abs/protos", "rel"] }],
    [["a.md", "--var", "a=1=2", "--var", "b="], { variables: { a: "1=2", b: "" } }],
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
    expect(r.stdout).toContain("All 2 runs ended as expected.");
  } finally {
    await py.stop();
  }
});

describe("the sidecar program's folder", () => {
  const isRoot = process.getuid?.() === 0;
  /** Giving a folder to another user takes root; reported as skipped otherwise. */
  const asRoot = isRoot ? test : test.skip;
  const runWith = (env: Record<string, string>) =>
    spawnSync(process.execPath, [CLI, "examples/vault/gRPC patterns.md", "--interval", "0", "--count", "1"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
  const plant = (base: string): string => {
    const dir = join(base, "grpc-callouts");
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    chownSync(dir, 65534, 65534);
    return dir;
  };

  asRoot("a planted folder that another user owns is avoided, and nothing is written there", () => {
    const planted = plant(tempDir("grpc-callouts-run-"));
    const cache = tempDir("grpc-callouts-cache-");
    const r = runWith({ XDG_RUNTIME_DIR: join(planted, ".."), XDG_CACHE_HOME: cache });
    expect(r.status).toBe(0);
    expect(readdirSync(planted)).toEqual([]);
    expect(readdirSync(join(cache, "grpc-callouts"))).toContain("sidecar.cjs");
    expect(statSync(join(cache, "grpc-callouts")).mode & 0o777).toBe(0o700);
  });

  asRoot("when every candidate is planted, the runner refuses and writes nothing", () => {
    const a = plant(tempDir("grpc-callouts-run-"));
    const b = plant(tempDir("grpc-callouts-run-"));
    const r = runWith({ XDG_RUNTIME_DIR: join(a, ".."), XDG_CACHE_HOME: join(b, "..") });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/No private folder for the sidecar program: .*belongs to another user \(uid 65534\)/);
    expect(readdirSync(a)).toEqual([]);
    expect(readdirSync(b)).toEqual([]);
  });

  test("a folder other users can write is refused, even when it is ours", () => {
    const base = tempDir("grpc-callouts-run-");
    const open = join(base, "grpc-callouts");
    mkdirSync(open);
    chmodSync(open, 0o777);
    const r = runWith({ XDG_RUNTIME_DIR: base, XDG_CACHE_HOME: base });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/can be written by other users \(mode 777\)/);
    expect(readdirSync(open)).toEqual([]);
  });
});
