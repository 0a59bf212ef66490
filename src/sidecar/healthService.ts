import { create } from "@bufbuild/protobuf";
import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthCheckResponseSchema,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from "../gen/grpc/health/v1/health_pb";

/** grpc.health.v1.Health: SERVING for "" and every listed service, NOT_FOUND otherwise. */
export function healthService(services: readonly string[]): UntypedServiceImplementation {
  const known = new Set(["", ...services]);
  return {
    Check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      if (!known.has(call.request.service)) {
        return callback({ code: status.NOT_FOUND, details: `Unknown service ${call.request.service}` });
      }
      callback(null, create(HealthCheckResponseSchema, { status: HealthCheckResponse_ServingStatus.SERVING }));
    },
    Watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      const s = known.has(call.request.service)
        ? HealthCheckResponse_ServingStatus.SERVING
        : HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN;
      call.write(create(HealthCheckResponseSchema, { status: s }));
      // Stays open until the client cancels, as the protocol asks.
    },
  };
}
