// The first step of `npm test` (scripts/system-packages.cjs): the Debian packages the tests use
// are installed by apt-get when we are root, or the run stops at once with the exact command.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/sidecar";

interface Pkg {
  name: string;
  why: string;
  probe: () => boolean;
}
interface Plan {
  action: "ok" | "install" | "stop";
  names?: string[];
  command?: string;
  reason?: string;
}
const sys = require("../../scripts/system-packages.cjs") as {
  PACKAGES: Pkg[];
  decide(missing: Pkg[], env: { isRoot: boolean; hasApt: boolean }): Plan;
  main(o: { packages?: Pkg[]; aptGet?: string; isRoot?: boolean; hasApt?: boolean; log?: (s: string) => void }): number;
};

const pkg = (name: string, probe: () => boolean = () => false): Pkg => ({ name, why: "a test needs it", probe });

test.each([
  ["nothing missing", [], { isRoot: false, hasApt: false }, { action: "ok" }],
  ["root with apt installs", [pkg("chromium"), pkg("python3-grpcio")], { isRoot: true, hasApt: true }, { action: "install", names: ["chromium", "python3-grpcio"], command: "apt-get install -y --no-install-recommends chromium python3-grpcio" }],
  [
    "a user with apt gets the sudo line",
    [pkg("chromium")],
    { isRoot: false, hasApt: true },
    { action: "stop", names: ["chromium"], command: "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium", reason: "installing them needs root" },
  ],
  [
    "no apt gets the plain line",
    [pkg("openssl")],
    { isRoot: true, hasApt: false },
    { action: "stop", names: ["openssl"], command: "apt-get update && apt-get install -y --no-install-recommends openssl", reason: "this machine has no apt-get" },
  ],
])("%s", (_name, missing, env, plan) => {
  expect(sys.decide(missing, env)).toEqual(plan);
});

test("every package the tests use is listed, each with a probe", () => {
  expect(sys.PACKAGES.map((p) => p.name).sort()).toEqual(["chromium", "fonts-dejavu-core", "grpc-proto", "libprotobuf-dev", "openssl", "protobuf-compiler", "python3-grpcio"]);
  // On this machine npm test has already run the step, so every probe holds.
  for (const p of sys.PACKAGES) expect([p.name, p.probe()]).toEqual([p.name, true]);
});

test("as root, missing packages are installed with apt-get, then probed again", () => {
  const dir = tempDir("grpc-callouts-apt-");
  const log = join(dir, "apt.log");
  const installed = join(dir, "installed");
  const apt = join(dir, "apt-get");
  // A stand-in apt-get that records its arguments and "installs" by making a marker file.
  writeFileSync(apt, `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\n[ "$1" = install ] && touch ${JSON.stringify(installed)}\nexit 0\n`);
  chmodSync(apt, 0o755);
  const lines: string[] = [];
  const code = sys.main({ packages: [pkg("python3-grpcio", () => existsSync(installed))], aptGet: apt, isRoot: true, hasApt: true, log: (s) => lines.push(s) });
  expect(code).toBe(0);
  expect(readFileSync(log, "utf8").trim().split("\n")).toEqual(["update -qq", "install -y -qq --no-install-recommends python3-grpcio"]);
  expect(lines.join("\n")).toContain("python3-grpcio is missing");
});

test("without root it stops at once with the exact command, and runs no apt-get", () => {
  const dir = tempDir("grpc-callouts-apt-");
  const marker = join(dir, "ran");
  const apt = join(dir, "apt-get");
  writeFileSync(apt, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`);
  chmodSync(apt, 0o755);
  const lines: string[] = [];
  const code = sys.main({ packages: [pkg("chromium"), pkg("openssl", () => true)], aptGet: apt, isRoot: false, hasApt: true, log: (s) => lines.push(s) });
  expect(code).toBe(1);
  expect(existsSync(marker)).toBe(false);
  expect(lines.join("\n")).toContain("sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium");
  expect(lines.join("\n")).not.toContain("openssl is missing");
});

test("an install that leaves a package missing fails the step", () => {
  const dir = tempDir("grpc-callouts-apt-");
  const apt = join(dir, "apt-get");
  writeFileSync(apt, "#!/bin/sh\nexit 0\n");
  chmodSync(apt, 0o755);
  const lines: string[] = [];
  expect(sys.main({ packages: [pkg("chromium")], aptGet: apt, isRoot: true, hasApt: true, log: (s) => lines.push(s) })).toBe(1);
  expect(lines.join("\n")).toContain("still missing after the install: chromium");
});

test("npm test runs the step before anything else, and .ci/run runs only the README's commands", () => {
  const root = join(__dirname, "../..");
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  expect(scripts["test"]?.startsWith("node scripts/system-packages.cjs && ")).toBe(true);
  const ci = readFileSync(join(root, ".ci/run"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "));
  expect(ci).toEqual(["npm ci", "npm start", "npm test"]);
  const readme = readFileSync(join(root, "README.md"), "utf8");
  expect(readme).toContain("npm ci && npm start");
  expect(readme).toContain("npm ci && npm test");
});
