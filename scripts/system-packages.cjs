#!/usr/bin/env node
// The first step of `npm test`: makes sure the Debian packages the tests use are here.
// Missing ones are installed with apt-get when we are root; otherwise it stops at once
// and prints the exact command to run. It never lets a test be skipped for want of one.
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");

/** Each Debian package the tests use, with a probe that says whether it works here. */
const PACKAGES = [
  { name: "python3-grpcio", why: "the grpc-block tests call a server built on Python's grpcio", probe: () => run("/usr/bin/python3", ["-c", "import grpc"]) },
  { name: "openssl", why: "the TLS tests make certificates", probe: () => run("openssl", ["version"]) },
  { name: "chromium", why: "the real-browser check and benchmark drive Debian's Chromium", probe: () => existsSync("/usr/bin/chromium") },
  { name: "protobuf-compiler", why: "the schema corpus test and benchmark hold our .proto parser against protoc", probe: () => run("protoc", ["--version"]) },
  { name: "libprotobuf-dev", why: "the schema corpus reads protobuf's own .proto files", probe: () => existsSync("/usr/include/google/protobuf/descriptor.proto") },
  { name: "grpc-proto", why: "the schema corpus reads gRPC's .proto files", probe: () => existsSync("/usr/share/grpc-proto/grpc/service_config/service_config.proto") },
  { name: "fonts-dejavu-core", why: "the browser check's screenshots need a font", probe: () => existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") },
];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "ignore", timeout: 20_000 });
  return r.status === 0;
}

/** The apt-get line that installs `names`. */
function installCommand(names) {
  return `apt-get install -y --no-install-recommends ${names.join(" ")}`;
}

/**
 * What to do about the missing packages: nothing, install them (root with apt-get),
 * or stop with the command for the user to run.
 */
function decide(missing, env) {
  if (missing.length === 0) return { action: "ok" };
  const names = missing.map((p) => p.name);
  if (env.isRoot && env.hasApt) return { action: "install", names, command: installCommand(names) };
  const prefix = env.hasApt ? "sudo " : "";
  return {
    action: "stop",
    names,
    command: `${prefix}apt-get update && ${prefix}${installCommand(names)}`,
    reason: env.hasApt ? "installing them needs root" : "this machine has no apt-get",
  };
}

/** Runs the check; returns the process exit code. */
function main(options = {}) {
  const packages = options.packages ?? PACKAGES;
  const aptGet = options.aptGet ?? process.env.GRPC_CALLOUTS_APT_GET ?? "apt-get";
  const log = options.log ?? ((s) => process.stderr.write(`${s}\n`));
  const missing = packages.filter((p) => !p.probe());
  const env = {
    isRoot: options.isRoot ?? (typeof process.getuid === "function" && process.getuid() === 0),
    hasApt: options.hasApt ?? run("sh", ["-c", `command -v ${JSON.stringify(aptGet)}`]),
  };
  const plan = decide(missing, env);
  if (plan.action === "ok") return 0;
  for (const p of missing) log(`system-packages: ${p.name} is missing (${p.why}).`);
  if (plan.action === "stop") {
    log(`system-packages: ${plan.reason}. Run this, then npm test again:\n\n  ${plan.command}\n`);
    return 1;
  }
  log(`system-packages: installing ${plan.names.join(", ")} with apt-get…`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...plan.names]]) {
    const r = spawnSync(aptGet, args, { stdio: ["ignore", "ignore", "inherit"], env: aptEnv });
    if (r.status !== 0) {
      log(`system-packages: \`${aptGet} ${args.join(" ")}\` failed (exit ${r.status}). Run this, then npm test again:\n\n  ${plan.command}\n`);
      return 1;
    }
  }
  const still = packages.filter((p) => !p.probe());
  if (still.length > 0) {
    log(`system-packages: still missing after the install: ${still.map((p) => p.name).join(", ")}.`);
    return 1;
  }
  log("system-packages: all installed.");
  return 0;
}

module.exports = { PACKAGES, decide, installCommand, main };

if (require.main === module) process.exitCode = main();
