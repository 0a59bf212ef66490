/** B6: bidi ping-pong round trips against bare grpc-js. */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import { startCall } from "../src/call/startCall";
import { createCallSpec } from "../src/core/spec/CallSpec";
import { TOKEN_HEADER } from "../src/sidecar/handshake";
import { ChatMessageSchema, ChatReplySchema } from "../src/gen/grpccallouts/demo/v1/patterns_pb";
import { stats, fmt, record } from "./report";
import { bareClient, withSidecar, now, sidecarHost, alternate } from "./harness";

export async function b6(): Promise<void> {
  await withSidecar(async (address, token) => {
    const N = 400;
    // Bare grpc-js.
    const client = bareClient(address);
    const md = new Metadata();
    md.set(TOKEN_HEADER, token);
    const call = client.makeBidiStreamRequest(
      "/grpccallouts.demo.v1.PatternService/Chat",
      (m: object) => Buffer.from(toBinary(ChatMessageSchema, m as never)),
      (b: Buffer) => fromBinary(ChatReplySchema, b),
      md,
    );
    let wake: () => void = () => undefined;
    call.on("data", () => wake());
    call.on("error", () => undefined);
    // Ours: startCall with an interactive spec, on its own pooled client.
    const { pool, host } = sidecarHost(address, token);
    const running = startCall(createCallSpec("grpccallouts.demo.v1.PatternService/Chat", { interactive: true }), host);
    let wakeOurs: () => void = () => undefined;
    const reader = (async () => {
      for await (const e of running.events) if (e.type === "message" && e.direction === "received") wakeOurs();
    })();
    const bare: number[] = [];
    const ours: number[] = [];
    const bareTrip = async (i: number): Promise<void> => {
      const t0 = now();
      await new Promise<void>((r) => {
        wake = r;
        call.write(create(ChatMessageSchema, { text: `ping ${i}` }));
      });
      if (i >= 50) bare.push(now() - t0);
    };
    const ourTrip = async (i: number): Promise<void> => {
      const t0 = now();
      await new Promise<void>((r) => {
        wakeOurs = r;
        void running.send({ text: `ping ${i}` });
      });
      if (i >= 50) ours.push(now() - t0);
    };
    // Round trips alternate between the two streams, taking turns at going first.
    await alternate(N, bareTrip, ourTrip);
    call.end();
    client.close();
    running.halfClose();
    await reader;
    pool.close();
    const ratio = stats(ours).median / stats(bare).median;
    record({ id: "B6", what: "baseline: bare grpc-js bidi round trip", value: fmt(bare, "ms", 3), budget: "", pass: null });
    record({ id: "B6", what: "bidi round trip through our client layer", value: `${fmt(ours, "ms", 3)}; ${ratio.toFixed(2)}× baseline`, budget: "≤ 1.5× baseline", pass: ratio <= 1.5 });
  });
}
