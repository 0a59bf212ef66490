import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findRunnables, runnableAt } from "../../../src/core/note/findRunnables";

const example = readFileSync(join(__dirname, "../../../examples/vault/gRPC patterns.md"), "utf8");

describe("findRunnables", () => {
  test("finds the four pattern callouts of the example note, in order", () => {
    const rs = findRunnables(example);
    expect(rs.map((r) => [r.kind, r.label, r.pattern, r.fold, r.calloutType])).toEqual([
      ["callout", "Simple RPC", "unary", "-", "summary"],
      ["callout", "Server-Streaming RPC", "server_streaming", "-", "summary"],
      ["callout", "Client-Streaming RPC", "client_streaming", "-", "summary"],
      ["callout", "Bidirectional Streaming RPC", "bidi_streaming", "-", "summary"],
    ]);
    expect(rs.every((r) => r.block === null)).toBe(true);
    const lines = example.split("\n");
    for (const r of rs) {
      expect(lines[r.line]).toMatch(/^> \[!summary\]-/);
      expect(lines[r.endLine]).toMatch(/^>/);
      expect(lines[r.endLine + 1] ?? "").not.toMatch(/^>/);
    }
  });

  test("blocks, callouts holding blocks, fences and frontmatter", () => {
    const md = [
      "---",
      "grpc:",
      "  target: localhost:1",
      "---",
      "> [!note] My call",
      "> ```grpc",
      "> method: a.B/C",
      "> ```",
      "",
      "```grpc",
      "method: x.Y/Z",
      "```",
      "",
      "```md",
      "> [!summary] Unary RPC",
      "```",
      "> [!tip] Just a tip",
      "> [!info] Unary RPC is only text inside the tip",
      "",
      "> [!info]+ Unary RPC",
      "> body",
    ].join("\n");
    const rs = findRunnables(md);
    expect(rs.map((r) => [r.kind, r.label, r.pattern, r.block?.source ?? null, r.block?.fenceLine ?? null])).toEqual([
      ["callout", "My call", null, "method: a.B/C", 5],
      ["block", "x.Y/Z", null, "method: x.Y/Z", 9],
      ["callout", "Unary RPC", "unary", null, null],
    ]);
    expect(runnableAt(rs, 6)?.label).toBe("My call");
    expect(runnableAt(rs, 10)?.label).toBe("x.Y/Z");
    expect(runnableAt(rs, 12)).toBeUndefined();
  });

  test("keys stay unique for repeated titles", () => {
    const rs = findRunnables("> [!a] Unary RPC\n\n> [!a] Unary RPC\n");
    expect(rs.map((r) => r.key)).toEqual(["callout:Unary RPC", "callout:Unary RPC#2"]);
  });
});
