import { create, createRegistry, fromBinary, toJson, type JsonWriteOptions, type Registry } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Metadata } from "@grpc/grpc-js";
import type { JsonValue } from "../core/json/JsonValue";
import { StatusSchema } from "../gen/google/rpc/status_pb";
import { builtinRegistry } from "../schema/builtinRegistry";

/** The trailer that carries a serialized google.rpc.Status. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * Decodes the google.rpc.Status details in a call's trailers to JSON. Known
 * detail types (ErrorInfo, BadRequest, RetryInfo, …, or any type in
 * `registry`) print as their fields; unknown ones as their type URL and base64.
 */
export function decodeStatusDetails(trailers: Metadata | undefined, registry?: Registry): JsonValue[] {
  const raw = trailers?.get(STATUS_DETAILS_KEY)[0];
  if (raw === undefined || typeof raw === "string") return [];
  let status;
  try {
    status = fromBinary(StatusSchema, raw);
  } catch {
    return [{ "@error": "grpc-status-details-bin is not a google.rpc.Status", value: Buffer.from(raw).toString("base64") }];
  }
  return detailsJson(status.details, registry);
}

/** Error details as Connect carries them (type name and bytes each), as JSON, the same way. */
export function decodeDetailList(details: ReadonlyArray<{ type: string; value: Uint8Array }>, registry?: Registry): JsonValue[] {
  return detailsJson(details.map((d) => create(AnySchema, { typeUrl: `type.googleapis.com/${d.type}`, value: d.value })), registry);
}

function detailsJson(details: Any[], registry: Registry | undefined): JsonValue[] {
  const reg = registry === undefined ? builtinRegistry() : createRegistry(registry, builtinRegistry());
  return details.map((any) => detailJson(any, reg));
}

function detailJson(any: Any, registry: Registry): JsonValue {
  try {
    const options: Partial<JsonWriteOptions> = { registry };
    return toJson(AnySchema, any, options);
  } catch {
    return { "@type": any.typeUrl, value: Buffer.from(any.value).toString("base64") };
  }
}
