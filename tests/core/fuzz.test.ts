// Property-based fuzzing: whatever a note holds, parsing never throws and never hangs;
// it gives a spec or a located, readable error.
import fc from "fast-check";
import { detectPattern } from "../../src/core/note/detectPattern";
import { findRunnables } from "../../src/core/note/findRunnables";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { specForRunnable } from "../../src/core/spec/specForRunnable";
import { substituteVariables } from "../../src/core/spec/substituteVariables";

const nasty = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("\uD800", "\uDFFF", "\u202E", "\u0000", "\u001b[31m", "<script>alert(1)</script>", "{{", "}}", "[[", "]]", "> [!", "```grpc"),
);
const yamlish = fc.oneof(
  nasty,
  fc.json().map((j) => `method: a.B/C\nrequest: ${j}`),
  fc.json({ depthSize: "large" }),
  fc.jsonValue().map((v) => `requests: ${JSON.stringify([v])}\nmethod: x.Y/Z`),
  fc.array(fc.constantFrom("method", "target", "request", "requests", "deadline", "tls", "metadata", ":", " ", "\n", "  - ", "{", "}", "[", "]", "1e999", "-0", "0x1F", "'", '"'), { maxLength: 60 }).map((a) => a.join("")),
  fc.integer({ min: 1, max: 2000 }).map((n) => `method: a.B/C\nrequest: ${"[".repeat(n)}`),
  fc.integer({ min: 1, max: 300 }).map((n) => `method: a.B/C\nrequest: ${"{a: ".repeat(n)}1${"}".repeat(n)}`),
);

function checkResult(r: ReturnType<typeof parseBlock>): void {
  if (r.ok) {
    expect(typeof r.spec.method).toBe("string");
  } else {
    expect(r.error.name).toBe("CallError");
    expect(r.error.message.length).toBeGreaterThan(0);
    expect(r.error.location?.line ?? 1).toBeGreaterThanOrEqual(1);
  }
}

test("parseBlock gives a spec or a located error for anything", () => {
  fc.assert(
    fc.property(yamlish, (src) => {
      checkResult(parseBlock(src));
    }),
    { numRuns: 300 },
  );
});

test("variables never throw, even with hostile values", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), nasty), nasty, (vars, text) => {
      const r = parseBlock(`method: a.B/C\nmetadata: {x: ${JSON.stringify(text)}}\nrequest: {a: ${JSON.stringify(text)}}`);
      if (r.ok) substituteVariables(r.spec, { variables: vars, env: {}, envAllowed: [] });
    }),
    { numRuns: 500 },
  );
});

test("titles and notes: detection and discovery never throw", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(nasty, yamlish, fc.constantFrom("> [!summary]- Simple [[Remote Procedure Call|RPC]]", "> ```grpc", "> method: a.B/C", "---", "grpc:", "```", "")), { maxLength: 40 }), (lines) => {
      const md = lines.join("\n");
      for (const r of findRunnables(md)) {
        detectPattern(r.label);
        const parsed = specForRunnable(r, {});
        if (!parsed.ok) expect(parsed.error.name).toBe("CallError");
      }
    }),
    { numRuns: 800 },
  );
  fc.assert(fc.property(nasty, (title) => void detectPattern(title)), { numRuns: 1000 });
});

test("a multi-megabyte block parses, or fails cleanly, in reasonable time", () => {
  const big = `method: a.B/C\nrequests:\n${Array.from({ length: 40_000 }, (_, i) => `  - {text: "message ${i} ${"x".repeat(40)}"}`).join("\n")}\n`;
  expect(big.length).toBeGreaterThan(2_000_000);
  const t0 = Date.now();
  const r = parseBlock(big);
  expect(r.ok && r.spec.requests.length).toBe(40_000);
  expect(Date.now() - t0).toBeLessThan(20_000);
  const broken = `${big.slice(0, big.length / 2)}\n  - {unclosed: [`;
  const e = parseBlock(broken);
  expect(e.ok).toBe(false);
});

test("a block over the size limit is refused with a clear error", () => {
  const r = parseBlock(`method: a.B/C\nrequest: {a: "${"x".repeat(8_000_001)}"}`);
  expect(!r.ok && r.error.message).toMatch(/^The block is 8\.0 MB; blocks are limited to 8 MB\.$/);
});
