import { Metadata } from "@grpc/grpc-js";
import type { MetadataEntries } from "../core/transcript/CallEvent";

/** grpc-js Metadata from a plain record; `-bin` values are read as base64. */
export function toMetadata(record: Record<string, string>): Metadata {
  const md = new Metadata();
  for (const [k, v] of Object.entries(record)) {
    const key = k.toLowerCase();
    if (key.endsWith("-bin")) md.add(key, Buffer.from(v, "base64"));
    else md.add(key, v);
  }
  return md;
}

/** Ordered key/value pairs from grpc-js Metadata; binary values become base64. */
export function fromMetadata(md: Metadata | undefined): MetadataEntries {
  if (md === undefined) return [];
  const out: MetadataEntries = [];
  for (const [k, values] of Object.entries(md.toJSON())) {
    for (const v of values) out.push([k, typeof v === "string" ? v : Buffer.from(v).toString("base64")]);
  }
  return out;
}
