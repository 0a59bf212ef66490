/** The JSON name protoc gives a field: underscores dropped, the letter after each upper-cased. */
export function jsonNameOf(name: string): string {
  let out = "";
  let upper = false;
  for (const c of name) {
    if (c === "_") upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out;
}
