import type { CallError } from "../core/errors/CallError";
import type { ServerReflectionRequest, ServerReflectionResponse } from "../gen/grpc/reflection/v1/reflection_pb";
import type { ReflectOptions } from "./ReflectionStream";

/** One open ServerReflectionInfo stream, whatever carries it. */
export interface ReflectionWire {
  write(request: ServerReflectionRequest): void;
  /** Half-closes. */
  end(): void;
  cancel(): void;
}

/** What a stream tells its reader: each answer, a failure, or its end. */
export interface ReflectionSink {
  data(response: ServerReflectionResponse): void;
  error(e: CallError): void;
  end(): void;
}

/**
 * A way to reach a server's reflection service: plain gRPC through a grpc-js
 * channel, or the call's own protocol (Connect over HTTP/2) through its
 * transport. `name` says which, for "reflection answered over …".
 */
export interface ReflectionLine {
  readonly name: string;
  open(path: string, options: ReflectOptions, sink: ReflectionSink): ReflectionWire;
}
