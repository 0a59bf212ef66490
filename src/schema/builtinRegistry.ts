import type { DescFile, FileRegistry } from "@bufbuild/protobuf";
import {
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
} from "@bufbuild/protobuf/wkt";
import { file_google_rpc_error_details } from "../gen/google/rpc/error_details_pb";
import { file_google_rpc_status } from "../gen/google/rpc/status_pb";
import { fileRegistryOf } from "./fileRegistryOf";

/** The files every schema gets for free: the well-known types and google.rpc status and error details. */
export const BUILTIN_FILES: readonly DescFile[] = Object.freeze([
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
  file_google_rpc_status,
  file_google_rpc_error_details,
]);

let cached: FileRegistry | undefined;

/** A registry of the built-in files, made once on first use. */
export function builtinRegistry(): FileRegistry {
  cached ??= fileRegistryOf(...BUILTIN_FILES);
  return cached;
}
