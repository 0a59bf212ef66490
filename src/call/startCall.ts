import type { DescMethod, Message, Registry } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import { clientStreams, type MethodKind } from "../core/spec/MethodKind";
import { CallError } from "../core/errors/CallError";
import type { JsonValue } from "../core/json/JsonValue";
import { Code } from "../core/errors/Code";
import type { CallSpec } from "../core/spec/CallSpec";
import type { CallEvent } from "../core/transcript/CallEvent";
import { maskSecrets, secretForms } from "../core/transcript/maskSecrets";
import { hintFor } from "../core/errors/hintFor";
import type { RunningCall } from "../core/run/RunningCall";
import type { Discovery } from "../schema/SchemaCache";
import { AsyncQueue } from "./AsyncQueue";
import { invoke, sleep } from "./invoke";
import { invokeConnect } from "./invokeConnect";
import type { PooledTransport } from "./TransportPool";
import { protocolRefusal } from "../core/spec/Protocol";
import { parseMessage } from "./parseMessage";

/** What a host resolves a spec to: where to call, which method, with what metadata. */
export interface ResolvedCall {
  client: Client;
  /** gRPC-Web and Connect calls go over this transport instead of `client`. */
  transport: PooledTransport | null;
  method: DescMethod;
  registry: Registry;
  /** Metadata to send, the spec's own plus any the host adds (such as the sidecar token). */
  metadata: Record<string, string>;
  /** The target as shown to the user. */
  target: string;
}

/** Resolves specs; the plugin, the terminal runner and the tests each bring one. */
export interface RunHost {
  resolve(spec: CallSpec, signal: AbortSignal): Promise<ResolvedCall>;
  /** Every method of every service at the spec's target (reflection, a proto file, or the sidecar), and the services whose schema failed. */
  discover(spec: CallSpec, signal: AbortSignal): Promise<Discovery>;
}

/** Options of startCall. */
export interface StartCallOptions {
  now: () => number;
  /** Cancels like `cancel()`. */
  signal: AbortSignal | undefined;
}

const defaults: StartCallOptions = Object.freeze({ now: () => performance.now(), signal: undefined });

/**
 * Starts the call a spec describes: resolves it through `host`, checks the
 * requests against the schema, and runs it. Every failure, before or during
 * the call, arrives as the final status event, with a hint where one helps.
 */
export function startCall(spec: CallSpec, host: RunHost, options: Partial<StartCallOptions> = {}): RunningCall {
  const opts = { ...defaults, ...options };
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort();
  if (opts.signal?.aborted === true) abort.abort();
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const start = opts.now();
  const masks = secretForms(spec.secrets);
  const composer = new AsyncQueue<Message>();
  let halfClosed = false;
  let resolveKind: (k: MethodKind | null) => void = () => undefined;
  const kind = new Promise<MethodKind | null>((r) => (resolveKind = r));
  let resolved: ResolvedCall | null = null;
  let resolving: Promise<ResolvedCall> | null = null;

  const failed = (e: unknown, fallback: number = Code.UNKNOWN): CallEvent => {
    const err = CallError.from(e, fallback);
    const where = err.location === undefined ? "" : `Line ${err.location.line}, column ${err.location.column}. `;
    const hint = `${where}${err.hint ?? ""}`.trim();
    return { type: "status", at: opts.now() - start, code: err.code, message: err.message, details: err.details, ...(hint === "" ? {} : { hint }) };
  };

  /** Resolves and checks everything before the call; a failure comes back as its final status event. */
  async function prepare(): Promise<AsyncIterable<CallEvent> | CallEvent> {
    try {
      resolving = host.resolve(spec, abort.signal);
      resolved = await resolving;
    } catch (e) {
      resolveKind(null);
      return finish(abort.signal.aborted ? failed(new CallError(Code.CANCELLED, "Cancelled before the call started")) : failed(e));
    }
    const { method, registry } = resolved;
    resolveKind(method.methodKind);
    // What the protocol cannot carry is refused before anything is sent.
    const refusal = resolved.transport === null ? null : protocolRefusal(spec.protocol, resolved.transport.http, method.methodKind);
    if (refusal !== null) {
      return finish(failed(new CallError(Code.UNIMPLEMENTED, refusal, spec.locations["protocol"] === undefined ? {} : { location: spec.locations["protocol"] })));
    }
    if (!clientStreams(method.methodKind) && spec.requests.length > 1) {
      return finish(failed(
        new CallError(Code.INVALID_ARGUMENT, `${method.parent.typeName}/${method.name} takes one request, but the block gives ${spec.requests.length}.`, {
          hint: "Use `request:` with one message for unary and server-streaming methods.",
          ...(spec.locations["requests"] === undefined ? {} : { location: spec.locations["requests"] }),
        }),
      ));
    }
    const messages: Message[] = [];
    for (let i = 0; i < spec.requests.length; i++) {
      const location = spec.locations[`requests.${i}`] ?? spec.locations["request"];
      const label = spec.requests.length === 1 ? "The request" : `Request ${i + 1}`;
      const m = parseMessage(method.input, spec.requests[i] ?? {}, registry, { label, location });
      if (m instanceof Error) {
        return finish(failed(m));
      }
      messages.push(m);
    }
    async function* requests(): AsyncGenerator<Message> {
      for (const [i, m] of messages.entries()) {
        if (i > 0 && spec.intervalMs > 0) await sleep(spec.intervalMs, abort.signal);
        if (halfClosed || abort.signal.aborted) return;
        yield m;
      }
      if (spec.interactive) yield* composer;
    }
    if (abort.signal.aborted) {
      return finish(failed(new CallError(Code.CANCELLED, "Cancelled before the call started")));
    }
    const invokeOptions = { signal: abort.signal, deadlineMs: spec.deadlineMs, metadata: resolved.metadata, now: () => opts.now() - start, registry };
    return resolved.transport === null ? invoke(resolved.client, method, requests(), invokeOptions) : invokeConnect(resolved.transport.transport, method, requests(), invokeOptions);
  }

  /** The last step of every event: a hint for failures, and secrets masked. */
  const finish = (event: CallEvent): CallEvent => {
    const hinted =
      event.type === "status" && event.hint === undefined && event.code !== Code.OK
        ? withHint(event, hintFor(event.code, event.message, resolved?.target ?? spec.target ?? "sidecar"))
        : event;
    return maskSecrets(hinted, masks);
  };

  async function* guarded(): AsyncGenerator<CallEvent> {
    try {
      const prepared = await prepare();
      if (!(Symbol.asyncIterator in prepared)) {
        yield prepared;
        return;
      }
      // Plain events pass straight through; only the status, and secrets, need a look.
      if (spec.secrets.length === 0) {
        for await (const event of prepared) yield event.type === "status" ? finish(event) : event;
      } else {
        for await (const event of prepared) yield finish(event);
      }
    } catch (e) {
      yield finish(failed(e, Code.INTERNAL));
    } finally {
      opts.signal?.removeEventListener("abort", onOuterAbort);
      composer.end();
    }
  }

  return {
    events: guarded(),
    kind,
    async send(json: JsonValue): Promise<CallError | null> {
      const r = resolved ?? (resolving === null ? null : await resolving.catch(() => null));
      if (r === null) return new CallError(Code.FAILED_PRECONDITION, "The call is not ready to send yet.");
      if (halfClosed || composer.closed) return new CallError(Code.FAILED_PRECONDITION, "The request stream is already half-closed.");
      const m = parseMessage(r.method.input, json, r.registry, { label: "The message" });
      if (m instanceof Error) return m;
      composer.push(m);
      return null;
    },
    halfClose(): void {
      halfClosed = true;
      composer.end();
    },
    cancel(): void {
      abort.abort();
    },
  };
}

function withHint(event: Extract<CallEvent, { type: "status" }>, hint: string | undefined): CallEvent {
  return hint === undefined ? event : { ...event, hint };
}
