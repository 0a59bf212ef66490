import type * as Grpc from "@grpc/grpc-js";
import { ensureSidecarFile } from "./sidecarFile";
import type { startServer } from "./startServer";

/** What the sidecar program exports (see main.ts). */
export interface SidecarLibrary {
  /** Runs the process as the sidecar (stdin launch line, ready handshake). */
  main(): void;
  startServer: typeof startServer;
  /** The program's grpc-js. */
  grpc: typeof Grpc;
}

/** The sidecar program as the launcher is given it: its text, its hash and the folder it is written to. */
export interface SidecarProgramText {
  source: string | (() => string);
  hash: string;
}

/** A program with the folder it is written to (or how to find one). */
export type SidecarProgram = SidecarProgramText & { dir: string | (() => Promise<string>) };

const loaded = new Map<string, SidecarLibrary>();
const loading = new Map<string, Promise<SidecarLibrary>>();

/**
 * The sidecar program loaded into this process, once per hash: written (or
 * checked by its hash) where the spawned runtimes run it, then loaded with
 * this module's `require`, which in main.js is the plugin's. The in-process
 * runtime takes its server from it, and main.js its gRPC client library, so
 * grpc-js is carried in main.js once. `require` gives the program the realm
 * of the code that loads it (Obsidian's window; in the tests, the test's).
 */
export function sidecarLibrary(program: SidecarProgram): Promise<SidecarLibrary> {
  const known = loaded.get(program.hash);
  if (known !== undefined) return Promise.resolve(known);
  let pending = loading.get(program.hash);
  if (pending === undefined) {
    pending = load(program).finally(() => loading.delete(program.hash));
    loading.set(program.hash, pending);
  }
  return pending;
}

/** The library loaded by `sidecarLibrary` for `hash`; throws before it is loaded. */
export function loadedSidecarLibrary(hash: string): SidecarLibrary {
  const lib = loaded.get(hash);
  if (lib === undefined) throw new Error("the gRPC library (inside the sidecar program) is not loaded yet");
  return lib;
}

async function load(program: SidecarProgram): Promise<SidecarLibrary> {
  const dir = typeof program.dir === "string" ? program.dir : await program.dir();
  const { path } = await ensureSidecarFile(dir, program.source, program.hash);
  // Another version of the program may have been loaded from the same path (a plugin update).
  const cache = require.cache as Record<string, unknown> | undefined;
  if (cache !== undefined) delete cache[path];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file written at run time, so no import can name it; the lexical require is the plugin's (createRequire would be Node's own)
  const lib = require(path) as Partial<SidecarLibrary>;
  if (typeof lib.startServer !== "function" || typeof lib.main !== "function" || typeof lib.grpc !== "object") {
    throw new Error(`the sidecar program at ${path} does not export main, startServer and grpc`);
  }
  loaded.set(program.hash, lib as SidecarLibrary);
  return lib as SidecarLibrary;
}
