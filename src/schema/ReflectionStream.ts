import { create } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { ServerReflectionRequestSchema, type ServerReflectionRequest, type ServerReflectionResponse } from "../gen/grpc/reflection/v1/reflection_pb";
import type { ReflectionLine, ReflectionWire } from "./ReflectionLine";

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
  private readonly call: ReflectionWire;
  private readonly waiting: Array<{ resolve: (r: ServerReflectionResponse) => void; reject: (e: CallError) => void }> = [];
  private failure: CallError | null = null;
  private readonly onAbort = (): void => this.call.cancel();

  constructor(line: ReflectionLine, path: string, private readonly opts: ReflectOptions) {
    this.call = line.open(path, opts, {
      data: (res) => this.waiting.shift()?.resolve(res),
      error: (e) => this.fail(e),
      end: () => this.fail(new CallError(Code.INTERNAL, "The reflection stream ended without an answer")),
    });
    opts.signal?.addEventListener("abort", this.onAbort, { once: true });
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
