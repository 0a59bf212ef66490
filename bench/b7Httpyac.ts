/** B7: our terminal runner against httpyac on the same four calls. */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOKEN_HEADER } from "../src/sidecar/handshake";
import { notes, stats, fmt, record } from "./report";
import { withSidecar, ROOT, now } from "./harness";

export async function b7(): Promise<void> {
  await withSidecar(async (address, token) => {
    const dir = join(tmpdir(), `grpc-callouts-b7-${process.pid}`);
    mkdirSync(join(dir, "protos"), { recursive: true });
    copyFileSync(join(ROOT, "proto/grpccallouts/demo/v1/patterns.proto"), join(dir, "protos/patterns.proto"));
    const body = {
      unary: { question: "What time is it?" },
      feed: { topic: "ticks", count: 5, intervalMs: 20 },
      chunks: [1, 2, 3, 4, 5].map((seq) => ({ seq, data: Buffer.from(`chunk ${seq}`).toString("base64") })),
      chat: [1, 2, 3, 4, 5].map((n) => ({ text: `message ${n}` })),
    };
    // A client stream in httpyac: the first message as the body, the rest sent by a streaming script.
    const streamed = (method: string, messages: unknown[]): string =>
      [
        "###",
        `GRPC ${address}/grpccallouts.demo.v1.PatternService/${method}`,
        `${TOKEN_HEADER}: ${token}`,
        "",
        JSON.stringify(messages[0]),
        "",
        "{{@streaming",
        "  async function writeStream() {",
        ...messages.slice(1).map((c) => `    await sleep(20);\n    await $requestClient.send(${JSON.stringify(c)});`),
        "  }",
        "  exports.waitPromise = writeStream();",
        "}}",
        "",
      ].join("\n");
    const http = [
      "proto < ./protos/patterns.proto",
      "",
      "###",
      `GRPC ${address}/grpccallouts.demo.v1.PatternService/Ask`,
      `${TOKEN_HEADER}: ${token}`,
      "",
      JSON.stringify(body.unary),
      "",
      "###",
      `GRPC ${address}/grpccallouts.demo.v1.PatternService/Feed`,
      `${TOKEN_HEADER}: ${token}`,
      "",
      JSON.stringify(body.feed),
      "",
      streamed("Upload", body.chunks),
      streamed("Chat", body.chat),
    ].join("\n");
    writeFileSync(join(dir, "patterns.http"), http);
    const block = (method: string, rest: string[]): string =>
      ["```grpc", `method: grpccallouts.demo.v1.PatternService/${method}`, `target: ${address}`, "proto: protos/patterns.proto", ...rest, "```", ""].join("\n");
    const note = [
      "---",
      "grpc:",
      `  metadata: {${TOKEN_HEADER}: "{{token}}"}`,
      "---",
      block("Ask", [`request: ${JSON.stringify(body.unary)}`]),
      block("Feed", [`request: ${JSON.stringify(body.feed)}`]),
      block("Upload", ["interval: 20ms", `requests: ${JSON.stringify(body.chunks)}`]),
      block("Chat", ["interval: 20ms", `requests: ${JSON.stringify(body.chat)}`]),
    ].join("\n");
    writeFileSync(join(dir, "patterns.md"), note);
    const httpyac = join(ROOT, "node_modules/httpyac/bin/httpyac.js");
    const cli = join(ROOT, "dist/cli.cjs");
    const run = (cmd: string, args: string[]): Promise<{ ms: number; code: number | null; out: string }> =>
      new Promise((resolve) => {
        const t0 = now();
        const child = spawn(process.execPath, [cmd, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("exit", (code) => resolve({ ms: now() - t0, code, out }));
      });
    const theirs: number[] = [];
    const ours: number[] = [];
    let theirsOk = true;
    let oursOk = true;
    let sample = "";
    for (let i = 0; i < 6; i++) {
      // Taking turns at going first, as in B2 and B6.
      const theirsRun = (): ReturnType<typeof run> => run(httpyac, ["send", "patterns.http", "--all"]);
      const oursRun = (): ReturnType<typeof run> => run(cli, ["patterns.md", "--var", `token=${token}`]);
      let a: Awaited<ReturnType<typeof run>>;
      let b: Awaited<ReturnType<typeof run>>;
      if (i % 2 === 0) {
        a = await theirsRun();
        b = await oursRun();
      } else {
        b = await oursRun();
        a = await theirsRun();
      }
      if (process.env["BENCH_DEBUG"] && i === 0) console.log(a.out.slice(-3000), b.out.slice(-1500));
      theirs.push(a.ms);
      ours.push(b.ms);
      // httpyac exits 0 even when a call fails, so read its output: every call must have answered.
      const answered = a.out.includes('"checksum"') && a.out.includes("message 5") && a.out.includes('"seq": 5') && a.out.includes("You asked");
      if (a.code !== 0 || !answered || /"code": [1-9]/.test(a.out)) {
        theirsOk = false;
        sample = a.out.slice(0, 600);
      }
      if (b.code !== 0) oursOk = false;
    }
    const ratio = stats(theirs).median / stats(ours).median;
    record({ id: "B7", what: "httpyac CLI: the four pattern calls", value: `${fmt(theirs, "ms", 0)}${theirsOk ? "" : " (some calls FAILED)"}`, budget: "", pass: null });
    record({ id: "B7", what: "our terminal runner: the same four calls", value: `${fmt(ours, "ms", 0)}${oursOk ? "" : " (FAILED)"}; httpyac takes ${ratio.toFixed(2)}× ours`, budget: "goal: ours faster", pass: null });
    if (!theirsOk) notes.push(`B7: httpyac did not exit 0; its output began: ${sample.replace(/\s+/g, " ")}`);
  });
}
