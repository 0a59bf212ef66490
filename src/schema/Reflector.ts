import { create, createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type DescriptorProto, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { ServerReflectionRequest, ServerReflectionResponse } from "../gen/grpc/reflection/v1/reflection_pb";
import { builtinRegistry } from "./builtinRegistry";
import { filesInOrder } from "./filesInOrder";
import type { ReflectionLine } from "./ReflectionLine";
import { ReflectionStream, type ReflectOptions } from "./ReflectionStream";

/** The reflection protocol versions, newest first; they share one wire format. */
export const REFLECTION_VERSIONS = Object.freeze(["v1", "v1alpha"] as const);
/** One of the reflection versions. */
export type ReflectionVersion = (typeof REFLECTION_VERSIONS)[number];

const defaults: ReflectOptions = Object.freeze({ metadata: Object.freeze({}) as Record<string, string>, deadlineMs: 10_000, signal: undefined });

const NO_REFLECTION_HINT = "Add `proto:` with the path of the service's .proto file in the vault, or enable server reflection on the server.";

/**
 * A reflection session with one server over one stream, as grpcurl keeps
 * one: it finds which protocol version the server offers (v1, then v1alpha),
 * asks every question on that stream, and remembers every file the server
 * sent, because a server may send a file only once per stream (grpc-go
 * does). `close()` ends the stream.
 */
export class Reflector {
  private stream: ReflectionStream | null = null;
  private version: ReflectionVersion | null = null;
  private readonly opts: ReflectOptions;
  /** Every file the server sent on this session, by name. */
  private readonly files = new Map<string, FileDescriptorProto>();

  constructor(
    private readonly line: ReflectionLine,
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

  /**
   * A registry holding the file that defines `symbol` and all it imports.
   * The defining file is looked for among everything the server sent, as
   * the protocol does not say in which order a server lists the files.
   */
  async registryFor(symbol: string): Promise<FileRegistry> {
    const first = await this.ask({ case: "fileContainingSymbol", value: symbol });
    if (first.messageResponse.case === "errorResponse") {
      throw new CallError(Code.NOT_FOUND, `The server's reflection does not know "${symbol}": ${first.messageResponse.value.errorMessage}`, {
        hint: "Check the service name, or list the server's services with a block that has only `target:`.",
      });
    }
    const sent = this.take(first);
    const root = [...sent, ...this.files.values()].find((f) => defines(f, symbol));
    if (root === undefined) {
      throw new CallError(Code.INTERNAL, `The server's reflection answered for "${symbol}" with files that do not define it (${sent.map((f) => f.name).join(", ") || "none"}).`, {
        hint: NO_REFLECTION_HINT,
      });
    }
    // Fetch every import the server has not sent yet, unless it is built in.
    const builtins = builtinRegistry();
    const needed = new Map<string, FileDescriptorProto>();
    const visit = async (name: string, by: string): Promise<void> => {
      if (needed.has(name)) return;
      let file = this.files.get(name) ?? builtins.getFile(name)?.proto;
      if (file === undefined) {
        const res = await this.ask({ case: "fileByFilename", value: name });
        if (res.messageResponse.case === "fileDescriptorResponse") this.take(res);
        file = this.files.get(name);
        if (file === undefined) {
          const why = res.messageResponse.case === "errorResponse" ? `: ${res.messageResponse.value.errorMessage}` : "";
          throw new CallError(Code.NOT_FOUND, `The server's reflection did not return ${name}, which ${by} imports${why}.`, {
            hint: "The server's descriptors are incomplete; use `proto:` with the service's .proto file or a descriptor set instead.",
          });
        }
      }
      needed.set(name, file);
      for (const dep of file.dependency) await visit(dep, name);
    };
    await visit(root.name, root.name);
    try {
      return createFileRegistry(create(FileDescriptorSetSchema, { file: filesInOrder(needed, [root.name]) }));
    } catch (e) {
      throw new CallError(Code.INVALID_ARGUMENT, `The server's descriptors for "${symbol}" do not link: ${CallError.from(e).message}`, { cause: e });
    }
  }

  /** Ends the session's stream; the next question opens a new one. */
  close(): void {
    this.stream?.end();
    this.stream = null;
  }

  /** Decodes and remembers the files of an answer; returns them in the order sent. */
  private take(res: ServerReflectionResponse): FileDescriptorProto[] {
    if (res.messageResponse.case !== "fileDescriptorResponse") throw unexpected(res);
    const out: FileDescriptorProto[] = [];
    for (const bytes of res.messageResponse.value.fileDescriptorProto) {
      let fd: FileDescriptorProto;
      try {
        fd = fromBinary(FileDescriptorProtoSchema, bytes);
      } catch (e) {
        throw new CallError(Code.INTERNAL, `The server's reflection sent a file descriptor that does not decode: ${CallError.from(e).message}`, { cause: e });
      }
      if (!this.files.has(fd.name)) this.files.set(fd.name, fd);
      out.push(this.files.get(fd.name) ?? fd);
    }
    return out;
  }

  private async ask(request: ServerReflectionRequest["messageRequest"]): Promise<ServerReflectionResponse> {
    if (this.stream !== null) return this.stream.ask(request);
    let lastError: unknown;
    for (const version of this.version === null ? REFLECTION_VERSIONS : [this.version]) {
      const stream = new ReflectionStream(this.line, `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`, this.opts);
      try {
        const res = await stream.ask(request);
        this.version = version;
        this.stream = stream;
        return res;
      } catch (e) {
        stream.end();
        lastError = e;
        if (CallError.from(e).code !== Code.UNIMPLEMENTED) throw e;
      }
    }
    throw new CallError(Code.UNIMPLEMENTED, "The server does not offer server reflection (neither v1 nor v1alpha).", { hint: NO_REFLECTION_HINT, cause: CallError.from(lastError) });
  }
}

/** Whether `file` defines `symbol`: a service, method, message, enum, enum value or extension, by full name. */
function defines(file: FileDescriptorProto, symbol: string): boolean {
  const name = symbol.replace(/^\./, "");
  const pkg = file.package === "" ? "" : `${file.package}.`;
  if (pkg !== "" && !name.startsWith(pkg)) return false;
  const local = name.slice(pkg.length);
  if (file.service.some((s) => s.name === local || s.method.some((m) => `${s.name}.${m.name}` === local))) return true;
  if (file.extension.some((x) => x.name === local)) return true;
  const inScope = (prefix: string, messages: DescriptorProto[], enums: FileDescriptorProto["enumType"]): boolean =>
    enums.some((e) => `${prefix}${e.name}` === local || e.value.some((v) => `${prefix}${v.name}` === local)) ||
    messages.some((m) => {
      const full = `${prefix}${m.name}`;
      return full === local || m.extension.some((x) => `${full}.${x.name}` === local) || (local.startsWith(`${full}.`) && inScope(`${full}.`, m.nestedType, m.enumType));
    });
  return inScope("", file.messageType, file.enumType);
}

function unexpected(res: ServerReflectionResponse): CallError {
  if (res.messageResponse.case === "errorResponse") {
    const { errorCode, errorMessage } = res.messageResponse.value;
    return new CallError(errorCode || Code.UNKNOWN, `Reflection error: ${errorMessage}`);
  }
  return new CallError(Code.INTERNAL, `Unexpected reflection answer: ${res.messageResponse.case ?? "empty"}`);
}
