/** The four gRPC communication patterns, named as protobuf-es names method kinds. */
export type MethodKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

/** All four kinds, in the order a note usually teaches them. */
export const METHOD_KINDS: readonly MethodKind[] = Object.freeze([
  "unary",
  "server_streaming",
  "client_streaming",
  "bidi_streaming",
]);

/** A human label for a method kind. */
export function methodKindLabel(kind: MethodKind): string {
  switch (kind) {
    case "unary":
      return "Unary RPC";
    case "server_streaming":
      return "Server-streaming RPC";
    case "client_streaming":
      return "Client-streaming RPC";
    case "bidi_streaming":
      return "Bidirectional streaming RPC";
    default: {
      const never: never = kind;
      throw new Error(`unknown method kind ${String(never)}`);
    }
  }
}

/** True when the client sends a stream (client and bidi streaming). */
export function clientStreams(kind: MethodKind): boolean {
  return kind === "client_streaming" || kind === "bidi_streaming";
}
