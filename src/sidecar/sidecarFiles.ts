import { file_grpc_health_v1_health } from "../gen/grpc/health/v1/health_pb";
import { file_grpc_reflection_v1_reflection } from "../gen/grpc/reflection/v1/reflection_pb";
import { file_grpc_reflection_v1alpha_reflection } from "../gen/grpc/reflection/v1alpha/reflection_pb";
import { file_grpccallouts_demo_v1_patterns } from "../gen/grpccallouts/demo/v1/patterns_pb";

/** Every file the sidecar serves, with dependencies, for reflection and for clients. */
export const SIDECAR_FILES = Object.freeze([
  file_grpccallouts_demo_v1_patterns,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
]);
