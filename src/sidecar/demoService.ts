import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack, timestampNow } from "@bufbuild/protobuf/wkt";
import {
  Metadata,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { codeName } from "../core/errors/Code";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb";
import { StatusSchema } from "../gen/google/rpc/status_pb";
import {
  AskResponseSchema,
  ChatReply_Kind,
  ChatReplySchema,
  FeedEventSchema,
  UploadSummarySchema,
  type AskRequest,
  type ChatMessage,
  type ChatReply,
  type Fault,
  type FeedEvent,
  type FeedRequest,
  type UploadChunk,
} from "../gen/grpccallouts/demo/v1/patterns_pb";
import { crc32 } from "./crc32";

/** Largest payload a demo request may ask for: 4 MiB less room for framing. */
export const MAX_PAYLOAD = 4 * 1024 * 1024 - 1024;
/** Most events one Feed may ask for. */
export const MAX_FEED = 10_000_000;

/** A line logger; the sidecar writes these to stderr for the launcher's log tail. */
export type Log = (line: string) => void;

interface ServiceErrorLike {
  code: number;
  details: string;
  metadata: Metadata;
}

/** The status error a Fault asks for, with an ErrorInfo detail. */
export function faultError(fault: Fault, method: string): ServiceErrorLike {
  const code = Math.min(16, Math.max(1, fault.code));
  const message = fault.message !== "" ? fault.message : `Demo fault requested: ${codeName(code)}`;
  const info = create(ErrorInfoSchema, { reason: "DEMO_FAULT", domain: "grpc-callouts.demo", metadata: { method } });
  const status = create(StatusSchema, { code, message, details: [anyPack(ErrorInfoSchema, info)] });
  const metadata = new Metadata();
  metadata.set("grpc-status-details-bin", Buffer.from(toBinary(StatusSchema, status)));
  return Object.assign(new Error(message), { code, details: message, metadata });
}

function hasFault(f: Fault | undefined): f is Fault {
  return f !== undefined && f.code > 0;
}

function payload(size: number): Uint8Array {
  const n = Math.min(MAX_PAYLOAD, Math.max(0, size));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 97 + (i % 26);
  return out;
}

/** The PatternService implementation: Ask, Feed, Upload and Chat. */
export function demoService(log: Log): UntypedServiceImplementation {
  return {
    Ask(call: ServerUnaryCall<AskRequest, unknown>, callback: sendUnaryData<unknown>) {
      const req = call.request;
      if (hasFault(req.fault)) return callback(faultError(req.fault, "Ask"));
      const question = req.question.trim() === "" ? "nothing" : `"${req.question}"`;
      callback(null, create(AskResponseSchema, {
        answer: `Hello from the sidecar. You asked ${question}; serverTime is when I answered.`,
        serverTime: timestampNow(),
        payload: payload(req.payloadSize),
      }));
    },

    Feed(call: ServerWritableStream<FeedRequest, FeedEvent>) {
      const req = call.request;
      const count = Math.min(MAX_FEED, Math.max(0, req.count ?? 5));
      const interval = Math.max(0, req.intervalMs ?? 200);
      const body = payload(req.payloadSize);
      const topic = req.topic === "" ? "ticks" : req.topic;
      let seq = 0;
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      call.on("cancelled", () => {
        cancelled = true;
        if (timer !== undefined) clearTimeout(timer);
        log(`Feed cancelled by the client after ${seq} of ${count} events`);
      });
      const step = (): void => {
        timer = undefined;
        // Write until the socket pushes back or a pause is due.
        while (!cancelled) {
          if (hasFault(req.fault) && seq >= req.fault.after) {
            call.emit("error", faultError(req.fault, "Feed"));
            return;
          }
          if (seq >= count) {
            call.end();
            return;
          }
          seq++;
          const ok = call.write(create(FeedEventSchema, { seq, topic, serverTime: timestampNow(), payload: body }));
          if (interval > 0) {
            timer = setTimeout(step, interval);
            return;
          }
          if (!ok) {
            call.once("drain", step);
            return;
          }
        }
      };
      step();
    },

    Upload(call: ServerReadableStream<UploadChunk, unknown>, callback: sendUnaryData<unknown>) {
      let count = 0;
      let bytes = 0n;
      let crc = 0;
      let failed = false;
      call.on("data", (chunk: UploadChunk) => {
        if (failed) return;
        if (hasFault(chunk.fault)) {
          failed = true;
          callback(faultError(chunk.fault, "Upload"));
          return;
        }
        count++;
        bytes += BigInt(chunk.data.length);
        crc = crc32(chunk.data, crc);
      });
      call.on("cancelled", () => {
        failed = true;
        log(`Upload cancelled by the client after ${count} chunks`);
      });
      call.on("end", () => {
        if (failed) return;
        callback(null, create(UploadSummarySchema, {
          count,
          bytes,
          checksum: crc.toString(16).padStart(8, "0"),
          serverTime: timestampNow(),
        }));
      });
    },

    Chat(call: ServerDuplexStream<ChatMessage, ChatReply>) {
      let received = 0;
      let seq = 0;
      let pending = 0;
      let inputDone = false;
      let closed = false;
      const timers = new Set<NodeJS.Timeout>();
      const send = (reply: Omit<Partial<ChatReply>, "$typeName">): void => {
        if (closed) return;
        call.write(create(ChatReplySchema, { ...reply, seq: ++seq, serverTime: timestampNow() }));
      };
      const maybeEnd = (): void => {
        if (inputDone && pending === 0 && !closed) {
          closed = true;
          call.end();
        }
      };
      call.on("data", (msg: ChatMessage) => {
        if (closed) return;
        received++;
        if (hasFault(msg.fault)) {
          closed = true;
          for (const t of timers) clearTimeout(t);
          call.emit("error", faultError(msg.fault, "Chat"));
          return;
        }
        const n = received;
        send({ kind: ChatReply_Kind.REPLY, text: `Got "${msg.text}"`, inReplyTo: n, payload: payload(msg.payloadSize) });
        const pushes = Math.min(1000, Math.max(0, msg.pushCount));
        const interval = Math.max(1, msg.intervalMs);
        for (let p = 1; p <= pushes; p++) {
          pending++;
          const t = setTimeout(() => {
            timers.delete(t);
            pending--;
            send({ kind: ChatReply_Kind.PUSH, text: `Server push ${p} of ${pushes}`, inReplyTo: n });
            maybeEnd();
          }, interval * p);
          timers.add(t);
        }
      });
      call.on("end", () => {
        inputDone = true;
        maybeEnd();
      });
      call.on("cancelled", () => {
        closed = true;
        for (const t of timers) clearTimeout(t);
        log(`Chat cancelled by the client after ${received} messages`);
      });
    },
  };
}
