// The in-process runtime runs the embedded sidecar program, loaded with this realm's require,
// and main.js takes its grpc-js from the same program (see tests/obsidian/mainjs.test.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Code } from "../../src/core/errors/Code";
import { demoSpec } from "../../src/core/spec/demoSpec";
import { startCall } from "../../src/call/startCall";
import { sha256 } from "../../src/sidecar/sidecarFile";
import { loadedSidecarLibrary, sidecarLibrary } from "../../src/sidecar/sidecarLibrary";
import { collect, tempDir, testHost } from "../support/sidecar";
import { SIDECAR_SOURCE } from "../support/sidecarBundle";

/** The real program, with a startServer that counts its starts in a global. */
function countingProgram(key: string) {
  const source = `${SIDECAR_SOURCE}
const real = module.exports.startServer;
module.exports = { ...module.exports, startServer: (o) => { globalThis[${JSON.stringify(key)}] = (globalThis[${JSON.stringify(key)}] ?? 0) + 1; return real(o); } };
`;
  return { dir: tempDir(), source, hash: sha256(source) };
}

test("the in-process runtime starts the server of the program it is given, not one bundled beside it", async () => {
  const program = countingProgram("inProcessStarts");
  const t = testHost({ runtime: "in-process" });
  t.launcher.configure({ program });
  const events = await collect(startCall(demoSpec("unary"), t.host).events);
  expect(events.find((e) => e.type === "status")).toMatchObject({ code: Code.OK });
  expect((globalThis as Record<string, unknown>)["inProcessStarts"]).toBe(1);
  expect(t.launcher.status().log.some((l) => l.includes(`loaded the sidecar program ${program.hash.slice(0, 16)} in process`))).toBe(true);
  // The program was written where the spawned runtimes run it, and loaded from there.
  expect(readFileSync(join(program.dir, "sidecar.cjs"), "utf8")).toBe(program.source);
  await t.close();
});

test("the program loads once per hash, shares this realm, and carries its own grpc-js", async () => {
  const program = countingProgram("unused");
  expect(() => loadedSidecarLibrary(program.hash)).toThrow(/not loaded yet/);
  const [a, b] = await Promise.all([sidecarLibrary(program), sidecarLibrary(program)]);
  expect(a).toBe(b);
  expect(loadedSidecarLibrary(program.hash)).toBe(a);
  // Another grpc-js than this test's, in this realm: a Date made here is a Date there.
  expect(a.grpc.Metadata).not.toBe(grpc.Metadata);
  const md = new a.grpc.Metadata();
  md.set("k", "v");
  expect(md.get("k")).toEqual(["v"]);
  expect(Object.keys(a.grpc)).toEqual(expect.arrayContaining(Object.keys(grpc).filter((k) => k !== "__esModule")));
});

test("a program that does not export the library is refused with its path, and can be tried again", async () => {
  const source = "module.exports = {};\n";
  const program = { dir: tempDir(), source, hash: sha256(source) };
  await expect(sidecarLibrary(program)).rejects.toThrow(/sidecar\.cjs does not export main, startServer and grpc/);
  await expect(sidecarLibrary(program)).rejects.toThrow(/does not export/);
});
