import type { JsonValue } from "../json/JsonValue";
import type { MethodKind } from "./MethodKind";
import { createCallSpec, type CallSpec } from "./CallSpec";

/** The demo service every pattern callout calls when it has no `grpc` block. */
export const DEMO_SERVICE = "grpccallouts.demo.v1.PatternService";

/** How the demo calls are paced: the "demo pacing" settings. */
export interface DemoPacing {
  count: number;
  intervalMs: number;
}

/** Default pacing: five messages, 200 ms apart. */
export const DEFAULT_PACING: Readonly<DemoPacing> = Object.freeze({ count: 5, intervalMs: 200 });

/** The demo method name of each pattern. */
export function demoMethod(kind: MethodKind): string {
  switch (kind) {
    case "unary":
      return `${DEMO_SERVICE}/Ask`;
    case "server_streaming":
      return `${DEMO_SERVICE}/Feed`;
    case "client_streaming":
      return `${DEMO_SERVICE}/Upload`;
    case "bidi_streaming":
      return `${DEMO_SERVICE}/Chat`;
    default: {
      const never: never = kind;
      throw new Error(`unknown method kind ${String(never)}`);
    }
  }
}

/** The call a title-only pattern callout makes against the sidecar. */
export function demoSpec(kind: MethodKind, pacing: Partial<DemoPacing> = {}): CallSpec {
  const { count, intervalMs } = { ...DEFAULT_PACING, ...pacing };
  const n = Math.max(1, Math.floor(count));
  const method = demoMethod(kind);
  const range = Array.from({ length: n }, (_, i) => i + 1);
  let requests: JsonValue[];
  switch (kind) {
    case "unary":
      requests = [{ question: "What time is it on the server?" }];
      break;
    case "server_streaming":
      requests = [{ topic: "ticks", count: n, intervalMs }];
      break;
    case "client_streaming":
      requests = range.map((seq) => ({ seq, data: toBase64(`chunk ${seq} of ${n}`) }));
      break;
    case "bidi_streaming":
      requests = range.map((seq): JsonValue =>
        seq === 1 ? { text: `message ${seq}`, pushCount: 2, intervalMs: Math.round(intervalMs * 1.25) } : { text: `message ${seq}` },
      );
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown method kind ${String(never)}`);
    }
  }
  return createCallSpec(method, { requests, intervalMs: kind === "unary" || kind === "server_streaming" ? 0 : intervalMs });
}

function toBase64(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}
