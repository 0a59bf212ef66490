import { linkText } from "./linkText";
import type { MethodKind } from "../spec/MethodKind";

const RULES: ReadonlyArray<readonly [RegExp, MethodKind]> = [
  [/\bbi ?directional(?: streaming)?\b|\bbidi\b|\bduplex streaming\b/, "bidi_streaming"],
  [/\bserver(?: side)? ?stream(?:ing|ed)?\b/, "server_streaming"],
  [/\bclient(?: side)? ?stream(?:ing|ed)?\b/, "client_streaming"],
  [/\bunary\b|\bsimple (?:rpc|remote procedure call|grpc)\b|\brequest response rpc\b/, "unary"],
];

/**
 * Which gRPC pattern a callout title names, or null. Links are reduced to
 * their display text first; matching ignores case, hyphens and underscores,
 * so "Simple [[Remote Procedure Call|RPC]]", "Unary RPC", "server streaming"
 * and "bidi-streaming" are all recognised.
 */
export function detectPattern(title: string): MethodKind | null {
  const text = linkText(title)
    .toLowerCase()
    .replace(/[-_/]+/g, " ")
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  for (const [re, kind] of RULES) if (re.test(text)) return kind;
  return null;
}
