import { formatCount } from "../../../src/core/transcript/formatEvent";

test("formatCount groups digits in threes, as en-US does", () => {
  for (const n of [0, 7, 12, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 123_456_789, -1234, 3.7]) {
    expect(formatCount(n)).toBe(Math.trunc(n).toLocaleString("en-US"));
  }
});
