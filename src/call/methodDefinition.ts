import { fromBinary, toBinary, type DescMethod, type DescService } from "@bufbuild/protobuf";
import type { MethodDefinition } from "@grpc/grpc-js";
import type { MethodKind } from "../core/spec/MethodKind";

/** The HTTP/2 path of a method: "/pkg.Service/Method". */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/** Whether each side of a method kind streams. */
export function streamsOf(kind: MethodKind): { requestStream: boolean; responseStream: boolean } {
  switch (kind) {
    case "unary":
      return { requestStream: false, responseStream: false };
    case "server_streaming":
      return { requestStream: false, responseStream: true };
    case "client_streaming":
      return { requestStream: true, responseStream: false };
    case "bidi_streaming":
      return { requestStream: true, responseStream: true };
    default: {
      const never: never = kind;
      throw new Error(`unknown method kind ${String(never)}`);
    }
  }
}

/** A grpc-js method definition whose (de)serializers are protobuf-es's binary codec. */
export function methodDefinition(method: DescMethod): MethodDefinition<object, object> {
  return {
    path: methodPath(method),
    ...streamsOf(method.methodKind),
    requestSerialize: (m: object) => Buffer.from(toBinary(method.input, m as never)),
    requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
    responseSerialize: (m: object) => Buffer.from(toBinary(method.output, m as never)),
    responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
    originalName: method.localName,
  };
}

/** grpc-js service definition for a whole protobuf-es service. */
export function serviceDefinition(service: DescService): Record<string, MethodDefinition<object, object>> {
  const out: Record<string, MethodDefinition<object, object>> = {};
  for (const m of service.methods) out[m.name] = methodDefinition(m);
  return out;
}
