// jsonLines writes exactly what JSON.stringify writes, as typed tokens per line, and stops at a limit.
import { jsonLines, type JsonLines } from "../../../src/core/json/jsonLines";

const text = (out: JsonLines): string => out.lines.map((l) => l.tokens.map(([, t]) => t).join("")).join("\n");

const VALUES: unknown[] = [
  null,
  0,
  -1.5e-7,
  "",
  'quote " and \\ and \n and \u2028 and </script>',
  true,
  [],
  {},
  { a: 1, b: [1, "two", null, false, { c: {} }], "weird key\n": [[]] },
  { skipped: undefined, kept: [undefined, () => 1, NaN, Infinity] },
  { deep: { deeper: { deepest: { bottom: { floor: { ground: { core: { centre: { x: [1] } } } } } } } } },
];

test.each(VALUES.map((v) => [JSON.stringify(v), v]))("the text of %s equals JSON.stringify, pretty and compact", (_name, v) => {
  for (const indent of [0, 2]) {
    const expected = JSON.stringify(v, null, indent || undefined);
    const out = jsonLines(v, indent);
    expect(text(out)).toBe(expected);
    expect(out.length).toBe(expected.length);
    expect(out.truncated).toBe(false);
  }
});

test("tokens are typed: keys, strings, numbers, booleans, null and punctuation; indent is space", () => {
  const out = jsonLines({ name: "Ada", age: 36, ok: true, none: null, list: [1] }, 2);
  const kinds = new Set(out.lines.flatMap((l) => l.tokens.map(([k]) => k)));
  expect([...kinds].sort()).toEqual(["boolean", "key", "null", "number", "punctuation", "space", "string"]);
  expect(out.lines[1]).toEqual({ depth: 1, tokens: [["space", "  "], ["key", '"name"'], ["punctuation", ": "], ["string", '"Ada"'], ["punctuation", ","]] });
  expect(out.lines.map((l) => l.depth)).toEqual([0, 1, 1, 1, 1, 1, 2, 1, 0]);
});

test("a limit cuts the text with an ellipsis, writes no line past it, and still counts the whole length", () => {
  const value = { answer: "x".repeat(5000), more: Array.from({ length: 1000 }, (_, i) => i) };
  const full = JSON.stringify(value, null, 2);
  const out = jsonLines(value, 2, 100);
  expect(out.truncated).toBe(true);
  expect(out.length).toBe(full.length);
  expect(text(out)).toBe(`${full.slice(0, 100)}…`);
  expect(out.lines.length).toBeLessThanOrEqual(3);
});
