import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type Message, type Registry } from "@bufbuild/protobuf";
import type { Client, ClientDuplexStream, ClientReadableStream, ClientWritableStream, Metadata, ServiceError, StatusObject } from "@grpc/grpc-js";
import type { Readable } from "node:stream";
import { setTimeout as wait } from "node:timers/promises";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { CallEvent } from "../core/transcript/CallEvent";
import { AsyncQueue } from "./AsyncQueue";
import { LazyMessageEvent } from "./LazyMessageEvent";
import { fromMetadata, toMetadata } from "./metadata";
import { methodPath } from "./methodDefinition";
import { decodeStatusDetails } from "./statusDetails";

/** Options of invoke. */
export interface InvokeOptions {
  /** Aborting cancels the call; the status becomes CANCELLED. */
  signal: AbortSignal | undefined;
  /** Relative deadline; null for none. */
  deadlineMs: number | null;
  metadata: Record<string, string>;
  /** Monotonic clock in milliseconds. */
  now: () => number;
  /** Resolves `google.protobuf.Any` and error details when printing JSON. */
  registry: Registry | undefined;
  /** Events buffered for a slow reader before the response stream is paused. */
  highWaterMark: number;
}

/** The options invoke and invokeConnect start from. */
export const INVOKE_DEFAULTS: InvokeOptions = Object.freeze({
  signal: undefined,
  deadlineMs: null,
  metadata: Object.freeze({}) as Record<string, string>,
  now: () => performance.now(),
  registry: undefined,
  highWaterMark: 4096,
});

/**
 * A message's size on the wire, for the transcript's memory cap, kept on the message under a
 * symbol: protobuf-es reads and writes messages by their fields, so it never sees it, and a
 * WeakMap of a flood's messages would grow a table as large as the flood.
 */
const WIRE_SIZE = Symbol("grpc-callouts.wireSize");
type WithWireSize = Message & { [WIRE_SIZE]?: number };
const wireSizeOf = (m: Message): number => (m as WithWireSize)[WIRE_SIZE] ?? 0;

type AnyCall = ClientReadableStream<Message> | ClientWritableStream<Message> | ClientDuplexStream<Message, Message>;

/**
 * Calls `method` over `client` and yields what happens as CallEvents:
 * headers, each message both ways, half-close, trailers and the final
 * status. Requests are an iterable: for unary and server streaming only the
 * first is sent; for client and bidi streaming, the end of the iterable is
 * the half-close, and the iterable paces the stream. Cancel with `signal`. Never throws: failures end in a
 * status event.
 */
export function invoke(
  client: Client,
  method: DescMethod,
  requests: AsyncIterable<Message> | Iterable<Message>,
  options: Partial<InvokeOptions> = {},
): AsyncIterable<CallEvent> {
  const opts = { ...INVOKE_DEFAULTS, ...options };
  // A reader that falls behind pauses the response stream: grpc-js then stops reading it, and
  // HTTP/2 flow control holds the server back, instead of the events piling up here.
  const events = new AsyncQueue<CallEvent>({
    highWaterMark: opts.highWaterMark,
    onFull: () => (call as Partial<Readable> | null)?.pause?.(),
    onDrained: () => (call as Partial<Readable> | null)?.resume?.(),
  });
  const start = opts.now();
  const at = (): number => opts.now() - start;
  const counts = { sent: 0, received: 0 };
  let finished = false;
  let call: AnyCall | null = null;
  let unaryError: ServiceError | null = null;

  const emitSent = (m: Message): void => {
    events.push(new LazyMessageEvent(at(), "sent", ++counts.sent, method.input, m, opts.registry, wireSizeOf(m)));
  };
  const emitReceived = (m: Message): void => {
    events.push(new LazyMessageEvent(at(), "received", ++counts.received, method.output, m, opts.registry, wireSizeOf(m)));
  };
  const finish = (status: { code: number; details: string; metadata?: Metadata }): void => {
    if (finished) return;
    finished = true;
    opts.signal?.removeEventListener("abort", onAbort);
    const trailers = fromMetadata(status.metadata);
    events.push({ type: "trailers", at: at(), metadata: trailers });
    events.push({
      type: "status",
      at: at(),
      code: status.code,
      message: status.details,
      details: decodeStatusDetails(status.metadata, opts.registry),
    });
    events.end();
  };
  const onStatus = (s: StatusObject): void => {
    finish(unaryError !== null ? { code: unaryError.code, details: unaryError.details, metadata: unaryError.metadata } : s);
  };
  const onAbort = (): void => {
    if (call !== null) call.cancel();
    else finish({ code: Code.CANCELLED, details: "Cancelled before the call started" });
  };
  const unaryCallback = (err: ServiceError | null, value?: Message): void => {
    if (err !== null) unaryError = err;
    else if (value !== undefined) emitReceived(value);
  };
  const wire = (c: AnyCall): void => {
    call = c;
    c.on("metadata", (md: Metadata) => events.push({ type: "headers", at: at(), metadata: fromMetadata(md) }));
    c.on("status", onStatus);
    c.on("error", () => undefined); // the status event carries the error
    if ("on" in c && (method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming")) {
      c.on("data", (m: Message) => emitReceived(m));
    }
  };

  const callOptions = (): { deadline?: Date } =>
    opts.deadlineMs === null ? {} : { deadline: new Date(Date.now() + opts.deadlineMs) };

  const pump = async (c: ClientWritableStream<Message> | ClientDuplexStream<Message, Message>): Promise<void> => {
    try {
      const source = Symbol.asyncIterator in requests ? requests[Symbol.asyncIterator]() : toAsync(requests);
      for (;;) {
        const next = await source.next();
        if (next.done === true) break;
        if (finished || opts.signal?.aborted === true) return;
        const m = next.value;
        await new Promise<void>((resolve) => {
          const ok = c.write(m, () => resolve());
          emitSent(m);
          if (!ok) c.once("drain", () => resolve());
        });
      }
      if (finished || opts.signal?.aborted === true) return;
      c.end();
      events.push({ type: "half-close", at: at() });
    } catch (e) {
      const err = CallError.from(e, Code.INVALID_ARGUMENT);
      if (err.code === Code.CANCELLED) return;
      c.cancel();
      finish({ code: err.code, details: `Could not send a request: ${err.message}` });
    }
  };

  const begin = async (): Promise<void> => {
    if (opts.signal?.aborted === true) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const path = methodPath(method);
    const ser = (m: Message): Buffer => {
      const b = Buffer.from(toBinaryOf(method.input, m));
      (m as WithWireSize)[WIRE_SIZE] = b.length;
      return b;
    };
    const deser = (b: Buffer): Message => {
      const m = fromBinaryOf(method.output, b);
      (m as WithWireSize)[WIRE_SIZE] = b.length;
      return m;
    };
    const md = toMetadata(opts.metadata);
    const kind = method.methodKind;
    switch (kind) {
      case "unary":
      case "server_streaming": {
        const req = await firstOf(requests);
        if (finished) return;
        const request = req ?? createEmpty(method.input);
        if (kind === "unary") wire(client.makeUnaryRequest(path, ser, deser, request, md, callOptions(), unaryCallback) as unknown as AnyCall);
        else wire(client.makeServerStreamRequest(path, ser, deser, request, md, callOptions()));
        emitSent(request);
        return;
      }
      case "client_streaming": {
        const c = client.makeClientStreamRequest(path, ser, deser, md, callOptions(), unaryCallback);
        wire(c);
        return pump(c);
      }
      case "bidi_streaming": {
        const c = client.makeBidiStreamRequest(path, ser, deser, md, callOptions());
        wire(c);
        return pump(c);
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown method kind ${String(never)}`);
      }
    }
  };
  begin().catch((e: unknown) => {
    const err = CallError.from(e);
    if (call !== null) call.cancel();
    finish({ code: err.code, details: err.message });
  });
  return events;
}


function toBinaryOf(schema: DescMessage, m: Message): Uint8Array {
  return toBinary(schema, m as never);
}

function fromBinaryOf(schema: DescMessage, b: Uint8Array): Message {
  return fromBinary(schema, b);
}

function createEmpty(schema: DescMessage): Message {
  return create(schema);
}

async function* toAsync<T>(items: Iterable<T>): AsyncIterator<T> {
  yield* items;
}

/** The first of `items`, if any. */
export async function firstOf<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, { signal }).catch(() => undefined);
}
