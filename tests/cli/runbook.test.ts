// A note as a runbook and a CI check, run by the built dist/cli.cjs against Python grpcio and the
// sidecar: named calls chained through references (a streamed response's field into a unary
// call's metadata), every kind of expectation passing and failing, Run all ordering and cycles,
// missing references, masking of chained tokens, --env-file, --filter, --json, --junit and exit codes.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { JSDOM } from "jsdom";
import { startPythonServer, type PythonServer } from "../support/python";
import { tempDir } from "../support/sidecar";

const ROOT = join(__dirname, "../..");
const CLI = join(ROOT, "dist/cli.cjs");
const TOKEN = "tok-7f3a9c2e51";

let py: PythonServer;
let dir: string;
beforeAll(async () => {
  py = await startPythonServer();
  dir = tempDir();
  mkdirSync(join(dir, "protos/echo/v1"), { recursive: true });
  copyFileSync(join(ROOT, "tests/fixtures/python/echo.proto"), join(dir, "protos/echo.proto"));
  copyFileSync(join(ROOT, "tests/fixtures/python/echo/v1/types.proto"), join(dir, "protos/echo/v1/types.proto"));
});
afterAll(() => py.stop());

function note(name: string, blocks: string[][]): string {
  const path = join(dir, name);
  const front = ["---", "grpc:", `  target: 127.0.0.1:${py.port}`, "  proto: protos/echo.proto", "---", ""];
  writeFileSync(path, [...front, ...blocks.flatMap((b) => ["```grpc", ...b, "```", ""])].join("\n"));
  return path;
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1", ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

// Written out of order on purpose: Run all must put each call after the ones it refers to.
const CHAIN = [
  ["name: profile", "method: echo.v1.Echo/Unary", 'metadata: {x-echo-token: "{{feed.responses[1].text}}"}', 'request: {text: "for {{login.response.parts[0]}}"}', "expect:", "  headers: {x-echo-token: \"/^tok-[0-9a-f]+$/\"}", '  response: {text: "for ada"}'],
  ["name: login", "method: echo.v1.Echo/Unary", 'request: {text: "{{token}}", parts: [ada]}', "expect:", "  status: OK", '  response: {parts: [ada]}', '  duration: "< 5s"'],
  ["name: feed", "method: echo.v1.Echo/ServerStream", 'request: {text: "{{login.response.text}}"}', "expect:", "  responses: 3", "  trailers: {x-trailer-only: \"yes\"}"],
];

test("a chain of three calls runs in reference order; a streamed field reaches a unary call's metadata, masked", async () => {
  const r = await run([note("chain.md", CHAIN), "--var", `token=${TOKEN}`]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const heads = r.out.split("\n").filter((l) => l.startsWith("▶"));
  expect(heads.map((h) => h.replace(/\s+line \d+$/, ""))).toEqual(["▶ echo.v1.Echo/Unary", "▶ echo.v1.Echo/ServerStream", "▶ echo.v1.Echo/Unary"]);
  expect(r.out).toMatch(/expect\s+✔ header x-echo-token ••••••/);
  expect(r.out).toMatch(/expect\s+✔ responses 3 received/);
  expect(r.out).toContain('✔ response {"text":"for ada"}');
  // The token goes into metadata, so it never shows: not in the stream that brought it, nor in the call that sent it.
  expect(r.out).not.toContain(TOKEN);
  expect(r.out).toContain("All 3 runs ended as expected.");
});

test("every kind of expectation fails with expected and actual; an expected error status passes", async () => {
  const path = note("expect.md", [
    ["name: wrong", "method: echo.v1.Echo/ServerStream", "request: {text: hi}", "expect:", '  response: {text: bye}', "  responses: [{text: hi}, {text: hi}]", "  headers: {x-missing: a}", '  trailers: {x-trailer-only: "/^no$/"}', '  duration: "<= 0ms"'],
    ["name: refused", "method: echo.v1.Echo/Unary", 'metadata: {x-fail-code: "5"}', "request: {text: x}", "expect:", "  status: NOT_FOUND"],
    ["name: okay", "method: echo.v1.Echo/Unary", "request: {text: x}", "expect:", "  status: NOT_FOUND"],
  ]);
  const junit = join(dir, "expect.xml");
  const r = await run([path, "--junit", junit]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/✘ response: expected \{"text":"bye"\}, got \.text is "hi", not "bye"/);
  expect(r.out).toMatch(/✘ responses: expected .*got 3 received, 2 expected/);
  expect(r.out).toMatch(/✘ header x-missing: expected a, got absent/);
  expect(r.out).toMatch(/✘ trailer x-trailer-only: expected \/\^no\$\/, got yes/);
  expect(r.out).toMatch(/✘ duration: expected <= 0 ms, got \d+ ms/);
  expect(r.out).toMatch(/✔ status NOT_FOUND/);
  expect(r.out).toMatch(/✘ status: expected NOT_FOUND, got OK/);
  expect(r.out).toContain("2 of 3 runs did not end as expected.");

  const xml = readFileSync(junit, "utf8");
  // Well-formed, by jsdom's XML parser; then read by fast-xml-parser as CI tools read it.
  const parsed = new new JSDOM("").window.DOMParser().parseFromString(xml, "application/xml");
  expect(parsed.getElementsByTagName("parsererror")).toHaveLength(0);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as { testsuites: { testsuite: { tests: string; failures: string; errors: string; testcase: Array<{ name: string; failure?: { message: string; "#text": string } }> } } };
  const suite = doc.testsuites.testsuite;
  expect([suite.tests, suite.failures, suite.errors]).toEqual(["3", "2", "0"]);
  expect(suite.testcase.map((c) => c.name)).toEqual(["wrong", "refused", "okay"]);
  expect(suite.testcase[0]?.failure?.message).toBe("5 of 6 expectations failed");
  expect(suite.testcase[0]?.failure?.["#text"]).toContain('response: expected {"text":"bye"}, actual .text is "hi", not "bye"');
  expect(suite.testcase[1]?.failure).toBeUndefined();
});

test("a cycle is an error naming its calls; a reference to a missing call or field is an error on its line", async () => {
  const cycle = await run([note("cycle.md", [["name: a", "method: echo.v1.Echo/Unary", 'request: {text: "{{b.response.text}}"}'], ["name: b", "method: echo.v1.Echo/Unary", 'request: {text: "{{a.response.text}}"}']])]);
  expect(cycle.code).toBe(1);
  expect(cycle.out).toContain("These calls refer to each other in a cycle: a → b → a.");
  const missing = await run([note("missing.md", [["name: first", "method: echo.v1.Echo/Unary", "request: {text: x}"], ["method: echo.v1.Echo/Unary", 'request: {text: "{{first.response.nope}}"}'], ["method: echo.v1.Echo/Unary", 'request: {text: "{{ghost.response.text}}"}']])]);
  expect(missing.code).toBe(1);
  expect(missing.out).toContain("{{first.response.nope}}: first brought back no such value.");
  expect(missing.out).toMatch(/Unknown variable \{\{ghost\.response\.text\}\}/);
  const dup = await run([note("dup.md", [["name: twice", "method: echo.v1.Echo/Unary", "request: {}"], ["name: twice", "method: echo.v1.Echo/Unary", "request: {}"]])]);
  expect(dup.out).toMatch(/line \d+, column 1: More than one block of this note is named "twice"/);
});

test("--env-file and --env choose the variables, GRPC_CALLOUTS_VAR_ brings secrets; --filter runs a call with what it needs; --json lines parse", async () => {
  const envFile = join(dir, "envs.yaml");
  writeFileSync(envFile, "local: {greeting: hello-local}\nstaging: {greeting: hello-staging}\n");
  const path = note("env.md", [
    ["name: hello", "method: echo.v1.Echo/Unary", 'request: {text: "{{greeting}} {{secret}}"}'],
    ["name: again", "method: echo.v1.Echo/Unary", 'request: {text: "again {{hello.response.text}}"}'],
    ["name: other", "method: echo.v1.Echo/Unary", "request: {text: other}"],
  ]);
  const r = await run([path, "--env", "staging", "--env-file", envFile, "--filter", "again", "--json"], { GRPC_CALLOUTS_VAR_secret: "s3cr3t-value" });
  expect(r.code).toBe(0);
  const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as { type: string; call?: string; event?: { type: string; json?: { text?: string } } });
  expect(lines.filter((l) => l.type === "result").map((l) => l.call)).toEqual(["hello", "again"]);
  const received = lines.filter((l) => l.event?.type === "message" && l.event.json?.text !== undefined).map((l) => l.event?.json?.text);
  // Variable values are masked wherever they come back, chained ones included.
  expect(received).toContain("again •••••• ••••••");
  expect(r.out).not.toContain("hello-staging");
  expect(r.out).not.toContain("s3cr3t-value");
  expect(lines.at(-1)).toEqual({ type: "summary", total: 2, failed: 0, skipped: 0 });
  const bad = await run([path, "--env", "prod", "--env-file", envFile]);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('has no environment "prod"; it has local, staging.');
  expect((await run([path, "--env", "prod"])).code).toBe(2);
});

test("--fail-fast stops at the first failure, and --target sends every call there", async () => {
  const path = note("fast.md", [
    ["method: echo.v1.Echo/Unary", 'metadata: {x-fail-code: "14"}', "request: {}"],
    ["method: echo.v1.Echo/Unary", "request: {}"],
  ]);
  const r = await run([path, "--fail-fast"]);
  expect(r.code).toBe(1);
  expect(r.out).toContain("1 of 2 runs did not end as expected; 1 not run after the first failure.");
  const moved = await run([path, "--target", "127.0.0.1:1", "--deadline", "2s"]);
  expect(moved.out.match(/UNAVAILABLE/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
});

test("the example runbook note runs against the embedded sidecar and passes, with a JUnit report", async () => {
  const junit = join(dir, "example.xml");
  const r = await run([join(ROOT, "examples/vault/gRPC runbook.md"), "--junit", junit]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/✔ status NOT_FOUND/);
  expect(r.out).toContain("All 3 runs ended as expected.");
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(junit, "utf8")) as { testsuites: { tests: string; failures: string; errors: string } };
  expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors]).toEqual(["3", "0", "0"]);
});
