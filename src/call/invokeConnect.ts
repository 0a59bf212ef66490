import { create, type DescMessage, type DescMethod, type Message } from "@bufbuild/protobuf";
import { ConnectError, type Transport } from "@connectrpc/connect";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { JsonValue } from "../core/json/JsonValue";
import type { CallEvent, MetadataEntries } from "../core/transcript/CallEvent";
import { AsyncQueue } from "./AsyncQueue";
import { firstOf, INVOKE_DEFAULTS, type InvokeOptions } from "./invoke";
import { LazyMessageEvent } from "./LazyMessageEvent";
import { decodeDetailList } from "./statusDetails";


/**
 * `invoke` for gRPC-Web and Connect: calls `method` over a Connect-ES
 * transport and yields the same CallEvents (headers, each message both ways,
 * half-close, trailers, the status with its google.rpc.Status details).
 * Deadlines go as the protocol's timeout header; cancel with `signal`. A
 * reader that falls behind stops the response being read. Never throws.
 */
export function invokeConnect(
  transport: Transport,
  method: DescMethod,
  requests: AsyncIterable<Message> | Iterable<Message>,
  options: Partial<InvokeOptions> = {},
): AsyncIterable<CallEvent> {
  const opts = { ...INVOKE_DEFAULTS, ...options };
  let drained: (() => void) | null = null;
  const events = new AsyncQueue<CallEvent>({ highWaterMark: opts.highWaterMark, onDrained: () => drained?.() });
  const start = opts.now();
  const at = (): number => opts.now() - start;
  const counts = { sent: 0, received: 0 };
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  if (opts.signal?.aborted === true) abort.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const header = new Headers();
  for (const [k, v] of Object.entries(opts.metadata)) header.append(k, v);
  const timeoutMs = opts.deadlineMs ?? undefined;

  const sent = (m: Message): void => events.push(new LazyMessageEvent(at(), "sent", ++counts.sent, method.input, m, opts.registry));
  const received = async (m: Message): Promise<void> => {
    events.push(new LazyMessageEvent(at(), "received", ++counts.received, method.output, m, opts.registry));
    if (events.size >= opts.highWaterMark) await new Promise<void>((resolve) => (drained = resolve));
  };
  const end = (code: number, message: string, trailers: MetadataEntries, details: JsonValue[]): void => {
    opts.signal?.removeEventListener("abort", onAbort);
    events.push({ type: "trailers", at: at(), metadata: trailers });
    events.push({ type: "status", at: at(), code, message, details });
    events.end();
  };
  // Each request is told as it goes; the end of the requests is the half-close.
  async function* outgoing(): AsyncGenerator<Message> {
    for await (const m of requests) {
      if (abort.signal.aborted) return;
      sent(m);
      yield m;
    }
    if (method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming") events.push({ type: "half-close", at: at() });
  }

  const run = async (): Promise<void> => {
    if (method.methodKind === "unary") {
      const first = await firstOf(requests);
      const request = first ?? create(method.input);
      sent(request);
      const res = await transport.unary(method as never, abort.signal, timeoutMs, header, request);
      events.push({ type: "headers", at: at(), metadata: entries(res.header) });
      await received(res.message);
      return end(Code.OK, "", entries(res.trailer), []);
    }
    const input = method.methodKind === "server_streaming" ? single(requests, method.input, sent) : outgoing();
    const res = await transport.stream(method as never, abort.signal, timeoutMs, header, input as never);
    events.push({ type: "headers", at: at(), metadata: entries(res.header) });
    for await (const m of res.message) await received(m);
    end(Code.OK, "", entries(res.trailer), []);
  };
  run().catch((e: unknown) => {
    if (e instanceof ConnectError) {
      // A connection that could not be made (refused, reset, a certificate not trusted) is UNAVAILABLE, as over gRPC.
      const net = networkCause(e.cause);
      const code: number = e.code;
      if (net !== null && (code === Code.INTERNAL || code === Code.UNKNOWN)) return end(Code.UNAVAILABLE, net, entries(e.metadata), []);
      return end(e.code, e.rawMessage, entries(e.metadata), decodeDetailList(e.details.filter(isIncoming), opts.registry));
    }
    const err = CallError.from(e);
    end(abort.signal.aborted ? Code.CANCELLED : err.code, err.message, [], []);
  });
  return events;
}

/** The message of a Node socket or TLS error behind a transport error, or null when it is not one. */
function networkCause(cause: unknown): string | null {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string" || !/^(E[A-Z]+$|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|CERT_)/.test(code)) return null;
  return `${(cause as Error).message} (${code})`;
}

/** Headers as the transcript keeps metadata: in order, lower-case names. */
function entries(h: Headers): MetadataEntries {
  const out: MetadataEntries = [];
  h.forEach((v, k) => out.push([k, v]));
  return out;
}

function isIncoming(d: unknown): d is { type: string; value: Uint8Array } {
  return typeof d === "object" && d !== null && typeof (d as { type?: unknown }).type === "string" && (d as { value?: unknown }).value instanceof Uint8Array;
}

/** The one request of a server stream, told as it is sent. */
async function* single(requests: AsyncIterable<Message> | Iterable<Message>, schema: DescMessage, sent: (m: Message) => void): AsyncGenerator<Message> {
  const m = (await firstOf(requests)) ?? create(schema);
  sent(m);
  yield m;
}
