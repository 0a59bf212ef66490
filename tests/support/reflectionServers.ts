// Reflection servers that behave as real ones do and ours does not: one lists a file's
// dependencies before the file, one sends each file only once per stream (as grpc-go does), and
// one has a service whose file imports a file it cannot give. Built on grpc-js with the
// reflection wire format from protobuf-es; each counts the streams opened on it.
import { create, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Server, ServerCredentials, type ServerDuplexStream } from "@grpc/grpc-js";
import { methodDefinition } from "../../src/call/methodDefinition";
import {
  ServerReflection,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../../src/gen/grpc/reflection/v1/reflection_pb";
import { builtinRegistry } from "../../src/schema/builtinRegistry";
import { loadProtoFiles } from "../../src/schema/proto/loadProtoFiles";

/** How the server misbehaves (or just differs from ours). */
export interface ReflectionQuirks {
  /** Answer with the dependencies first and the requested file last. */
  dependenciesFirst?: boolean;
  /** Send each file only once per stream, as grpc-go does. */
  oncePerStream?: boolean;
  /** Files the server does not have, though others import them. */
  withhold?: string[];
}

/** A running quirky reflection server. */
export interface QuirkyServer {
  port: number;
  /** How many reflection streams were opened. */
  streams: () => number;
  stop: () => void;
}

/** The schema the quirky servers describe: two services sharing a file, and one importing a file of its own. */
export const QUIRKY_FILES: Record<string, string> = {
  "shared/v1/common.proto": 'syntax = "proto3"; package shared.v1; import "google/protobuf/timestamp.proto"; message Common { string id = 1; google.protobuf.Timestamp at = 2; }',
  "alpha/v1/alpha.proto": 'syntax = "proto3"; package alpha.v1; import "shared/v1/common.proto"; message AlphaRequest { shared.v1.Common common = 1; } service Alpha { rpc Get(AlphaRequest) returns (shared.v1.Common); }',
  "beta/v1/beta.proto": 'syntax = "proto3"; package beta.v1; import "shared/v1/common.proto"; service Beta { rpc Put(shared.v1.Common) returns (shared.v1.Common); rpc Watch(shared.v1.Common) returns (stream shared.v1.Common); }',
  "gamma/v1/extra.proto": 'syntax = "proto3"; package gamma.v1; message Extra { int32 n = 1; }',
  "gamma/v1/gamma.proto": 'syntax = "proto3"; package gamma.v1; import "gamma/v1/extra.proto"; service Gamma { rpc Do(Extra) returns (Extra); }',
};
const ROOTS = ["alpha/v1/alpha.proto", "beta/v1/beta.proto", "gamma/v1/gamma.proto"];

/** Starts a reflection server (v1 only) describing QUIRKY_FILES with the given quirks. */
export async function startQuirkyReflection(quirks: ReflectionQuirks): Promise<QuirkyServer> {
  const files = new Map<string, FileDescriptorProto>();
  for (const root of ROOTS) {
    const loaded = await loadProtoFiles(root, [""], {
      read: (p) => (QUIRKY_FILES[p] === undefined ? Promise.reject(new Error(`no ${p}`)) : Promise.resolve(QUIRKY_FILES[p])),
      builtin: (n) => builtinRegistry().getFile(n)?.proto,
    });
    for (const [name, f] of loaded.files) if (!(quirks.withhold ?? []).includes(name)) files.set(name, f);
  }
  const services = new Map<string, string>();
  for (const f of files.values()) for (const s of f.service) services.set(`${f.package}.${s.name}`, f.name);

  /** The file and its dependencies, the file first (as grpc-go sends them) unless dependenciesFirst. */
  const closure = (name: string): FileDescriptorProto[] => {
    const out: FileDescriptorProto[] = [];
    const seen = new Set<string>();
    const visit = (n: string): void => {
      const f = files.get(n);
      if (seen.has(n) || f === undefined) return;
      seen.add(n);
      out.push(f);
      f.dependency.forEach(visit);
    };
    visit(name);
    return quirks.dependenciesFirst === true ? out.reverse() : out;
  };

  let streams = 0;
  const server = new Server();
  const info = methodDefinition(ServerReflection.method.serverReflectionInfo);
  server.addService(
    { ServerReflectionInfo: info },
    {
      ServerReflectionInfo(call: ServerDuplexStream<ServerReflectionRequest, ServerReflectionResponse>) {
        streams++;
        const sent = new Set<string>();
        const answerFiles = (list: FileDescriptorProto[], what: string): ServerReflectionResponse => {
          const fresh = quirks.oncePerStream === true ? list.filter((f) => !sent.has(f.name)) : list;
          fresh.forEach((f) => sent.add(f.name));
          if (list.length === 0) return create(ServerReflectionResponseSchema, { messageResponse: { case: "errorResponse", value: { errorCode: 5, errorMessage: `${what} not found` } } });
          return create(ServerReflectionResponseSchema, { messageResponse: { case: "fileDescriptorResponse", value: { fileDescriptorProto: fresh.map((f) => toBinary(FileDescriptorProtoSchema, f)) } } });
        };
        call.on("data", (req: ServerReflectionRequest) => {
          const r = req.messageRequest;
          if (r.case === "listServices") {
            call.write(create(ServerReflectionResponseSchema, { messageResponse: { case: "listServicesResponse", value: { service: [...services.keys()].sort().map((name) => ({ name })) } } }));
          } else if (r.case === "fileContainingSymbol") {
            const file = services.get(r.value) ?? [...files.values()].find((f) => f.messageType.some((m) => `${f.package}.${m.name}` === r.value))?.name;
            call.write(answerFiles(file === undefined ? [] : closure(file), r.value));
          } else if (r.case === "fileByFilename") {
            call.write(answerFiles(closure(r.value), r.value));
          } else {
            call.write(create(ServerReflectionResponseSchema, { messageResponse: { case: "errorResponse", value: { errorCode: 12, errorMessage: "not implemented here" } } }));
          }
        });
        call.on("end", () => call.end());
        call.on("error", () => undefined);
      },
    },
  );
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return { port, streams: () => streams, stop: () => server.forceShutdown() };
}
