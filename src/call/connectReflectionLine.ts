import type { DescMethod } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { CallError } from "../core/errors/CallError";
import { ServerReflection, type ServerReflectionRequest, type ServerReflectionResponse } from "../gen/grpc/reflection/v1/reflection_pb";
import { ServerReflection as ServerReflectionAlpha } from "../gen/grpc/reflection/v1alpha/reflection_pb";
import type { ReflectionLine } from "../schema/ReflectionLine";
import { AsyncQueue } from "./AsyncQueue";
import type { PooledTransport } from "./TransportPool";

/**
 * Reflection over a call's own protocol (Connect on HTTP/2 can stream both
 * ways), through its transport. v1 and v1alpha share one wire format, so
 * v1alpha's answers are read as v1's.
 */
export function connectReflectionLine(pooled: PooledTransport, name: string): ReflectionLine {
  return {
    name,
    open(path, opts, sink) {
      const method: DescMethod = path.includes(".v1alpha.") ? ServerReflectionAlpha.method.serverReflectionInfo : ServerReflection.method.serverReflectionInfo;
      const requests = new AsyncQueue<ServerReflectionRequest>();
      const abort = new AbortController();
      const header = new Headers();
      for (const [k, v] of Object.entries(opts.metadata)) header.append(k, v);
      pooled.transport
        // Connect-ES wants a generator (it calls throw on it), not any async iterable.
        .stream(method as never, abort.signal, opts.deadlineMs, header, (async function* () {
          yield* requests;
        })() as never)
        .then(async (res) => {
          for await (const m of res.message) sink.data(m as unknown as ServerReflectionResponse);
          sink.end();
        })
        .catch((e: unknown) => sink.error(e instanceof ConnectError ? new CallError(e.code, e.rawMessage, { cause: e }) : CallError.from(e)));
      return { write: (m) => requests.push(m), end: () => requests.end(), cancel: () => abort.abort() };
    },
  };
}
