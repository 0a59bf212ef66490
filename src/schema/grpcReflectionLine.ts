import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Client, ServiceError } from "@grpc/grpc-js";
import { toMetadata } from "../call/metadata";
import { CallError } from "../core/errors/CallError";
import { ServerReflectionRequestSchema, ServerReflectionResponseSchema, type ServerReflectionRequest, type ServerReflectionResponse } from "../gen/grpc/reflection/v1/reflection_pb";
import type { ReflectionLine } from "./ReflectionLine";

/** Reflection over plain gRPC, through a grpc-js channel. */
export function grpcReflectionLine(client: Client): ReflectionLine {
  return {
    name: "gRPC",
    open(path, opts, sink) {
      const call = client.makeBidiStreamRequest(
        path,
        (m: ServerReflectionRequest) => Buffer.from(toBinary(ServerReflectionRequestSchema, m)),
        (b: Buffer) => fromBinary(ServerReflectionResponseSchema, b),
        toMetadata(opts.metadata),
        { deadline: new Date(Date.now() + opts.deadlineMs) },
      );
      call.on("data", (res: ServerReflectionResponse) => sink.data(res));
      call.on("error", (e: ServiceError) => sink.error(CallError.from(e)));
      call.on("status", () => sink.end());
      return { write: (m) => call.write(m), end: () => call.end(), cancel: () => call.cancel() };
    },
  };
}
