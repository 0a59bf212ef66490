/**
 * The sidecar program, one bundle with two uses. A spawned runtime runs it as
 * a process (the loader in codeCache.ts calls `main`; `node sidecar.cjs`
 * does too, through the bundle's footer). The in-process runtime evaluates
 * the same text inside Obsidian and takes `startServer`; main.js takes its
 * gRPC client library, `grpc`, from here too, so grpc-js is carried once.
 */
export { runSidecarProcess as main } from "./runSidecarProcess";
export { startServer } from "./startServer";
export * as grpc from "@grpc/grpc-js";
