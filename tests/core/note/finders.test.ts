// One table, every finder: the line-by-line container reader (the plugin's, over Obsidian's
// metadata-cache sections) and CommonMark (markdown-it, the terminal runner's) must find the same
// runnables, with the same lines, blocks and keys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commonMarkBlocksOf } from "../../../src/core/note/commonMarkBlocks";
import { containerBlocks } from "../../../src/core/note/containerBlocks";
import { findRunnables, type Runnable } from "../../../src/core/note/findRunnables";
import type { NoteBlock } from "../../../src/core/note/NoteBlock";
import { sectionsOf } from "../../support/obsidianSections";
import { blocksFromSections } from "../../../src/obsidian/processors/blocksFromSections";

const ROOT = join(__dirname, "../../..");
const FINDERS: Array<[string, (md: string) => Runnable[]]> = [
  ["containers", (md) => findRunnables(md, containerBlocks)],
  ["CommonMark", (md) => findRunnables(md, commonMarkBlocksOf)],
  ["metadata-cache sections", (md) => findRunnables(md, (lines, first): NoteBlock[] => blocksFromSections(md, sectionsOf(md), first) ?? containerBlocks(lines, first))],
];
const shape = (rs: Runnable[]) => rs.map((r) => [r.kind, r.key, r.pattern, r.line, r.endLine, r.block?.source ?? null, r.block?.fenceLine ?? null]);

const CASES: Array<[string, string, ReturnType<typeof shape>]> = [
  [
    "the user's note: four folded summary callouts with missing images",
    readFileSync(join(ROOT, "tests/fixtures/user-note.md"), "utf8"),
    [
      ["callout", "callout:Simple RPC", "unary", 4, 7, null, null],
      ["callout", "callout:Server-Streaming RPC", "server_streaming", 11, 14, null, null],
      ["callout", "callout:Client-Streaming RPC", "client_streaming", 16, 19, null, null],
      ["callout", "callout:Bidirectional Streaming RPC", "bidi_streaming", 23, 26, null, null],
    ],
  ],
  [
    "frontmatter, a callout holding a block, a top-level block, fences hiding callouts",
    ["---", "grpc:", "  target: localhost:1", "---", "> [!note] My call", "> ```grpc", "> method: a.B/C", "> ```", "", "```grpc", "method: x.Y/Z", "```", "", "````md", "```", "> [!summary] Unary RPC", "```", "````", "> [!tip] Just a tip", "", "> [!info]+ Unary RPC", "> body"].join("\n"),
    [
      ["callout", "callout:My call", null, 4, 7, "method: a.B/C", 5],
      ["block", "block:x.Y/Z", null, 9, 11, "method: x.Y/Z", 9],
      ["callout", "callout:Unary RPC", "unary", 20, 21, null, null],
    ],
  ],
  [
    "callouts nested in callouts and in plain quotes",
    ["> [!summary] Streaming", "> text", "> > [!example]- Server streaming", "> > inner", "> > > [!tip] Bidi", "", "> > [!note] Client streaming RPC", "> > quoted"].join("\n"),
    [
      ["callout", "callout:Server streaming", "server_streaming", 2, 4, null, null],
      ["callout", "callout:Bidi", "bidi_streaming", 4, 4, null, null],
      ["callout", "callout:Client streaming RPC", "client_streaming", 6, 7, null, null],
    ],
  ],
  [
    "callouts and blocks in list items",
    ["- first item", "  > [!summary] Unary RPC", "  > in a list", "- second", "  ```grpc", "  method: a.B/C", "  ```", "1. numbered", "   > [!faq]- Bidirectional streaming", "   > body"].join("\n"),
    [
      ["callout", "callout:Unary RPC", "unary", 1, 2, null, null],
      ["block", "block:a.B/C", null, 4, 6, "method: a.B/C", 4],
      ["callout", "callout:Bidirectional streaming", "bidi_streaming", 8, 9, null, null],
    ],
  ],
  [
    "tilde fences, saved transcripts and repeated titles",
    ["~~~grpc", "method: a.B/C", "~~~", "", "> [!grpc-transcript]- Transcript: OK", "> ```text", "> x", "> ```", "", "> [!a] Unary RPC", "", "> [!a] Unary RPC"].join("\n"),
    [
      ["block", "block:a.B/C", null, 0, 2, "method: a.B/C", 0],
      ["callout", "callout:Unary RPC", "unary", 9, 9, null, null],
      ["callout", "callout:Unary RPC#2", "unary", 11, 11, null, null],
    ],
  ],
];

describe.each(FINDERS)("%s", (_finder, find) => {
  test.each(CASES)("%s", (_name, md, expected) => {
    expect(shape(find(md))).toEqual(expected);
  });
});

test("stale sections (the cache lags an edit) are not used", () => {
  const md = "> [!summary] Unary RPC\n> body\n";
  const sections = sectionsOf(md);
  expect(blocksFromSections(md, sections)).not.toBeNull();
  expect(blocksFromSections(`Typed above.\n\n${md}`, sections)).toBeNull();
  expect(blocksFromSections(md, undefined)).toBeNull();
});
