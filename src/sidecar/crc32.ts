import * as zlib from "node:zlib";

/** Node's own CRC-32 (Node 20.15 and 22.2 on); Obsidian's runtime may be older. */
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | undefined;

/** Running CRC-32 (IEEE): pass the previous value to continue over more data. Node's zlib.crc32 where the runtime has it. */
export function crc32(data: Uint8Array, previous = 0): number {
  return native !== undefined ? native(data, previous) : crc32Table(data, previous);
}

/** The same CRC-32 computed with a table, for runtimes without zlib.crc32. */
export function crc32Table(data: Uint8Array, previous = 0): number {
  table ??= makeTable();
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = (table[(c ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
