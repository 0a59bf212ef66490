import { crc32, crc32Table } from "../../src/sidecar/crc32";

const bytes = (s: string) => new TextEncoder().encode(s);

test.each([
  ["", 0],
  ["a", 0xe8b7be43],
  ["123456789", 0xcbf43926],
  ["The quick brown fox jumps over the lazy dog", 0x414fa339],
])("crc32(%j) is %d, with zlib and with the table", (text, expected) => {
  expect(crc32(bytes(text))).toBe(expected);
  expect(crc32Table(bytes(text))).toBe(expected);
});

test("a running CRC over chunks equals the CRC of the whole, either way", () => {
  const whole = bytes("hello, chunked world");
  const a = whole.subarray(0, 7);
  const b = whole.subarray(7);
  expect(crc32(b, crc32(a))).toBe(crc32(whole));
  expect(crc32Table(b, crc32Table(a))).toBe(crc32Table(whole));
});
