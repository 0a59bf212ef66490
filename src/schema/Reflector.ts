import { create, createFileRegistry, fromBinary, toBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { Client, ServiceError } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import {
  ServerReflectionRequestSchema,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../gen/grpc/reflection/v1/reflection_pb";
import { builtinRegistry } from "./builtinRegistry";
import { toMetadata } from "../call/metadata";

/** The reflection protocol versions, newest first; they share one wire format. */
export const REFLECTION_VERSIONS = Object.freeze(["v1", "v1alpha"] as const);
/** One of the reflection versions. */
export type ReflectionVersion = (typeof REFLECTION_VERSIONS)[number];

/** Options of the reflection calls. */
export interface ReflectOptions {
  metadata: Record<string, string>;
  deadlineMs: number;
  signal: AbortSignal | undefined;
}

const defaults: ReflectOptions = Object.freeze({ metadata: Object.freeze({}) as Record<string, string>, deadlineMs: 10_000, signal: undefined });

const NO_REFLECTION_HINT = "Add `proto:` with the path of the service's .proto file in the vault, or enable server reflection on the server.";

/**
 * A reflection session with one server: it finds which protocol version the
 * server offers (v1, then v1alpha) and remembers it.
 */
export class Reflector {
  private version: ReflectionVersion | null = null;
  private readonly opts: ReflectOptions;

  constructor(
    private readonly client: Client,
    options: Partial<ReflectOptions> = {},
  ) {
    this.opts = { ...defaults, ...options };
  }

  /** The version the server answered to, once known. */
  get usedVersion(): ReflectionVersion | null {
    return this.version;
  }

  /** The fully qualified names of the services the server lists. */
  async listServices(): Promise<string[]> {
    const res = await this.ask({ case: "listServices", value: "" });
    if (res.messageResponse.case !== "listServicesResponse") throw unexpected(res);
    return res.messageResponse.value.service.map((s) => s.name).sort();
  }

  /** A registry holding the file that defines `symbol` and all it imports. */
  async registryFor(symbol: string): Promise<FileRegistry> {
    const protos = new Map<string, FileDescriptorProto>();
    const add = (res: ServerReflectionResponse): void => {
      if (res.messageResponse.case !== "fileDescriptorResponse") throw unexpected(res);
      for (const bytes of res.messageResponse.value.fileDescriptorProto) {
        const fd = fromBinary(FileDescriptorProtoSchema, bytes);
        if (!protos.has(fd.name)) protos.set(fd.name, fd);
      }
    };
    const first = await this.ask({ case: "fileContainingSymbol", value: symbol });
    if (first.messageResponse.case === "errorResponse") {
      throw new CallError(Code.NOT_FOUND, `The server's reflection does not know "${symbol}": ${first.messageResponse.value.errorMessage}`, {
        hint: "Check the service name, or list the server's services with a block that has only `target:`.",
      });
    }
    add(first);
    const root = protos.values().next().value as FileDescriptorProto;
    // Fetch any import the server did not send along, unless it is built in.
    const builtins = builtinRegistry();
    for (let guard = 0; guard < 500; guard++) {
      const missing = [...protos.values()].flatMap((p) => p.dependency).find((d) => !protos.has(d) && builtins.getFile(d) === undefined);
      if (missing === undefined) break;
      add(await this.ask({ case: "fileByFilename", value: missing }));
      if (!protos.has(missing)) throw new CallError(Code.NOT_FOUND, `The server's reflection did not return ${missing}`);
    }
    return createFileRegistry(root, (name) => protos.get(name) ?? protoOfBuiltin(name));
  }

  private async ask(request: ServerReflectionRequest["messageRequest"]): Promise<ServerReflectionResponse> {
    const req = create(ServerReflectionRequestSchema, { messageRequest: request });
    if (this.version !== null) return askOnce(this.client, this.version, req, this.opts);
    let lastError: unknown;
    for (const version of REFLECTION_VERSIONS) {
      try {
        const res = await askOnce(this.client, version, req, this.opts);
        this.version = version;
        return res;
      } catch (e) {
        lastError = e;
        if (CallError.from(e).code !== Code.UNIMPLEMENTED) throw e;
      }
    }
    const cause = CallError.from(lastError);
    throw new CallError(Code.UNIMPLEMENTED, "The server does not offer server reflection (neither v1 nor v1alpha).", {
      hint: NO_REFLECTION_HINT,
      cause,
    });
  }
}

function protoOfBuiltin(name: string): FileDescriptorProto | undefined {
  return builtinRegistry().getFile(name)?.proto;
}

function unexpected(res: ServerReflectionResponse): CallError {
  if (res.messageResponse.case === "errorResponse") {
    const { errorCode, errorMessage } = res.messageResponse.value;
    return new CallError(errorCode || Code.UNKNOWN, `Reflection error: ${errorMessage}`);
  }
  return new CallError(Code.INTERNAL, `Unexpected reflection answer: ${res.messageResponse.case ?? "empty"}`);
}

function askOnce(
  client: Client,
  version: ReflectionVersion,
  req: ServerReflectionRequest,
  opts: ReflectOptions,
): Promise<ServerReflectionResponse> {
  return new Promise((resolve, reject) => {
    const call = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (m: ServerReflectionRequest) => Buffer.from(toBinary(ServerReflectionRequestSchema, m)),
      (b: Buffer) => fromBinary(ServerReflectionResponseSchema, b),
      toMetadata(opts.metadata),
      { deadline: new Date(Date.now() + opts.deadlineMs) },
    );
    let answer: ServerReflectionResponse | null = null;
    const onAbort = (): void => call.cancel();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    call.on("data", (res: ServerReflectionResponse) => {
      answer ??= res;
      call.end();
    });
    call.on("error", (e: ServiceError) => {
      opts.signal?.removeEventListener("abort", onAbort);
      reject(CallError.from(e));
    });
    call.on("status", () => {
      opts.signal?.removeEventListener("abort", onAbort);
      if (answer !== null) resolve(answer);
      else reject(new CallError(Code.INTERNAL, "The reflection stream ended without an answer"));
    });
    call.write(req);
  });
}
