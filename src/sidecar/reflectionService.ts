import { create, toBinary, type DescFile, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ServerDuplexStream, UntypedServiceImplementation } from "@grpc/grpc-js";
import { Code } from "../core/errors/Code";
import {
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../gen/grpc/reflection/v1/reflection_pb";

/**
 * Server reflection over the registry `registryOf` makes (on the first
 * request, not at start), listing `services`. v1 and v1alpha share one wire
 * format, so this one implementation serves both.
 */
export function reflectionService(registryOf: () => FileRegistry, services: readonly string[]): UntypedServiceImplementation {
  let registry: FileRegistry | null = null;
  return {
    ServerReflectionInfo(call: ServerDuplexStream<ServerReflectionRequest, ServerReflectionResponse>) {
      call.on("data", (req: ServerReflectionRequest) => {
        registry ??= registryOf();
        call.write(reflectionAnswer(registry, services, req));
      });
      call.on("end", () => call.end());
      call.on("error", () => undefined);
    },
  };
}

/** The answer to one reflection request about `registry`, listing `services`; any server (grpc-js or connect-node) can send it. */
export function reflectionAnswer(registry: FileRegistry, services: readonly string[], req: ServerReflectionRequest): ServerReflectionResponse {
  const base = { validHost: req.host, originalRequest: req };
  const notFound = (what: string): ServerReflectionResponse =>
    create(ServerReflectionResponseSchema, {
      ...base,
      messageResponse: { case: "errorResponse", value: { errorCode: Code.NOT_FOUND, errorMessage: what } },
    });
  const files = (file: DescFile | undefined, what: string): ServerReflectionResponse =>
    file === undefined
      ? notFound(what)
      : create(ServerReflectionResponseSchema, {
          ...base,
          messageResponse: {
            case: "fileDescriptorResponse",
            value: { fileDescriptorProto: withDependencies(file).map((f) => toBinary(FileDescriptorProtoSchema, f.proto)) },
          },
        });
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      return create(ServerReflectionResponseSchema, {
        ...base,
        messageResponse: { case: "listServicesResponse", value: { service: services.map((name) => ({ name })) } },
      });
    case "fileByFilename":
      return files(registry.getFile(r.value), `File not found: ${r.value}`);
    case "fileContainingSymbol":
      return files(fileOfSymbol(registry, r.value), `Symbol not found: ${r.value}`);
    case "fileContainingExtension":
      return notFound(`Extension not found: ${r.value.containingType} ${r.value.extensionNumber}`);
    case "allExtensionNumbersOfType": {
      const message = registry.getMessage(r.value);
      if (message === undefined) return notFound(`Type not found: ${r.value}`);
      return create(ServerReflectionResponseSchema, {
        ...base,
        messageResponse: { case: "allExtensionNumbersResponse", value: { baseTypeName: r.value, extensionNumber: [] } },
      });
    }
    case undefined:
      return create(ServerReflectionResponseSchema, {
        ...base,
        messageResponse: { case: "errorResponse", value: { errorCode: Code.INVALID_ARGUMENT, errorMessage: "Empty reflection request" } },
      });
    default: {
      const never: never = r;
      return notFound(`Unsupported request ${String(never)}`);
    }
  }
}

function fileOfSymbol(registry: FileRegistry, symbol: string): DescFile | undefined {
  const name = symbol.replace(/^\./, "");
  const direct = registry.get(name);
  if (direct !== undefined) return direct.file;
  // A method or field: look up its parent.
  return registry.get(name.slice(0, name.lastIndexOf(".")))?.file;
}

/** The file and everything it imports, transitively, dependencies first. */
export function withDependencies(file: DescFile): DescFile[] {
  const out: DescFile[] = [];
  const seen = new Set<string>();
  const visit = (f: DescFile): void => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    for (const d of f.dependencies) visit(d);
    out.push(f);
  };
  visit(file);
  return out.reverse();
}
