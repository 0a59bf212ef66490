import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Client, ClientDuplexStream, ServiceError } from "@grpc/grpc-js";
import { toMetadata } from "../call/metadata";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import {
  ServerReflectionRequestSchema,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../gen/grpc/reflection/v1/reflection_pb";

/** Options of a reflection session: metadata sent with it, its deadline, and a signal that cancels it. */
export interface ReflectOptions {
  metadata: Record<string, string>;
  deadlineMs: number;
  signal: AbortSignal | undefined;
}

/**
 * One ServerReflectionInfo stream: questions go out in order and each answer
 * settles the oldest open question, as the protocol answers in order. A
 * stream error or end settles every open question with an error.
 */
export class ReflectionStream {
  private readonly call: ClientDuplexStream<ServerReflectionRequest, ServerReflectionResponse>;
  private readonly waiting: Array<{ resolve: (r: ServerReflectionResponse) => void; reject: (e: CallError) => void }> = [];
  private failure: CallError | null = null;
  private readonly onAbort = (): void => this.call.cancel();

  constructor(client: Client, path: string, private readonly opts: ReflectOptions) {
    this.call = client.makeBidiStreamRequest(
      path,
      (m: ServerReflectionRequest) => Buffer.from(toBinary(ServerReflectionRequestSchema, m)),
      (b: Buffer) => fromBinary(ServerReflectionResponseSchema, b),
      toMetadata(opts.metadata),
      { deadline: new Date(Date.now() + opts.deadlineMs) },
    );
    opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.call.on("data", (res: ServerReflectionResponse) => this.waiting.shift()?.resolve(res));
    this.call.on("error", (e: ServiceError) => this.fail(CallError.from(e)));
    this.call.on("status", () => this.fail(new CallError(Code.INTERNAL, "The reflection stream ended without an answer")));
  }

  /** Sends one question and waits for its answer. */
  ask(request: ServerReflectionRequest["messageRequest"]): Promise<ServerReflectionResponse> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.call.write(create(ServerReflectionRequestSchema, { messageRequest: request }));
    });
  }

  /** Half-closes the stream, so the server ends it. */
  end(): void {
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    if (this.failure === null) this.call.end();
  }

  private fail(e: CallError): void {
    this.failure ??= e;
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}
