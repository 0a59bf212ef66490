/**
 * B10: a warm unary call over Connect and over gRPC-Web, through the whole run path (runSpec →
 * startCall → the Connect-ES transport) to a connect-node server, against a bare connect-node client
 * call (createClient on a transport of the same protocol) to the same server, interleaved.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { ClientPool } from "../src/call/ClientPool";
import { createRunHost } from "../src/call/createRunHost";
import { parseBlock } from "../src/core/spec/parseBlock";
import { PatternService } from "../src/gen/grpccallouts/demo/v1/patterns_pb";
import { fileRegistryOf } from "../src/schema/fileRegistryOf";
import { SIDECAR_FILES } from "../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../src/sidecar/handshake";
import { startConnectServer } from "../tests/support/connectServer";
import { benchRun, now, ROOT, alternate } from "./harness";
import { fmt, record, stats } from "./report";

export async function b10(): Promise<void> {
  const server = await startConnectServer("h1");
  const proto = readFileSync(join(ROOT, "proto/grpccallouts/demo/v1/patterns.proto"));
  const pool = new ClientPool();
  const host = createRunHost({ sidecar: () => Promise.reject(new Error("none")), sidecarFiles: fileRegistryOf(...SIDECAR_FILES), tokenHeader: TOKEN_HEADER, pool, readFile: (p) => (p === "patterns.proto" ? Promise.resolve(new Uint8Array(proto)) : Promise.reject(new Error(`no ${p}`))) });
  try {
    for (const protocol of ["connect", "grpc-web"] as const) {
      const parsed = parseBlock(`protocol: ${protocol}\nhttp: 1.1\ntarget: 127.0.0.1:${server.port}\nproto: patterns.proto\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: bench}\n`);
      if (!parsed.ok) throw parsed.error;
      const spec = parsed.spec;
      const make = protocol === "connect" ? createConnectTransport : createGrpcWebTransport;
      const bare = createClient(PatternService, make({ baseUrl: `http://127.0.0.1:${server.port}`, httpVersion: "1.1", useBinaryFormat: true }));
      const ours: number[] = [];
      const base: number[] = [];
      const runOurs = async (i: number): Promise<void> => {
        const t0 = now();
        let code = -1;
        for await (const e of benchRun(spec, host).call.events) if (e.type === "status") code = e.code;
        if (code !== 0) throw new Error(`B10 ${protocol}: the call ended with code ${code}`);
        if (i >= 20) ours.push(now() - t0);
      };
      const runBare = async (i: number): Promise<void> => {
        const t0 = now();
        await bare.ask({ question: "bench" });
        if (i >= 20) base.push(now() - t0);
      };
      await alternate(220, runBare, runOurs);
      const name = protocol === "connect" ? "Connect" : "gRPC-Web";
      const ratio = stats(ours).median / stats(base).median;
      record({ id: "B10", what: `baseline: bare connect-node client, ${name} unary (HTTP/1.1)`, value: fmt(base), budget: "", pass: null });
      record({ id: "B10", what: `warm unary over ${name}: the whole run path`, value: `${fmt(ours)}; ${ratio.toFixed(2)}× baseline`, budget: "≤ 1.5× baseline", pass: ratio <= 1.5 });
    }
  } finally {
    host.close();
    pool.close();
    await server.stop();
  }
}
