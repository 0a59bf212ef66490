/** The offset in `lines.join("\n")` at which each line starts. */
export function lineOffsets(lines: readonly string[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const l of lines) {
    offsets.push(at);
    at += l.length + 1;
  }
  return offsets;
}
