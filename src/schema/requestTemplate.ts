import { create, toJson, type DescMessage, type JsonWriteOptions } from "@bufbuild/protobuf";
import type { JsonValue } from "../core/json/JsonValue";

/** A request for `schema` with every field at its default value, as JSON: the start of an "Insert call". */
export function requestTemplate(schema: DescMessage): JsonValue {
  const options: Partial<JsonWriteOptions> = { alwaysEmitImplicit: true };
  return toJson(schema, create(schema), options);
}
