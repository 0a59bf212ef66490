// The sidecar program's folder: private, per user, checked before every use, never planted.
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { checkPrivateDir, findPrivateDir, privateDirCandidates } from "../../src/sidecar/findPrivateDir";
import { tempDir } from "../support/sidecar";

const isRoot = process.getuid?.() === 0;
/** Runs only as root, where a folder can be given to another user; reported as skipped otherwise. */
const asRoot = isRoot ? test : test.skip;

test.each([
  ["linux with XDG_RUNTIME_DIR", { platform: "linux", env: { XDG_RUNTIME_DIR: "/run/user/1000" }, home: "/home/u" }, ["/run/user/1000/grpc-callouts", "/home/u/.cache/grpc-callouts"]],
  ["linux with XDG_CACHE_HOME", { platform: "linux", env: { XDG_CACHE_HOME: "/c" }, home: "/home/u" }, ["/c/grpc-callouts"]],
  ["linux, relative XDG paths ignored", { platform: "linux", env: { XDG_RUNTIME_DIR: "run", XDG_CACHE_HOME: "c" }, home: "/home/u" }, ["/home/u/.cache/grpc-callouts"]],
  ["macOS", { platform: "darwin", env: {}, home: "/Users/u" }, ["/Users/u/Library/Caches/grpc-callouts"]],
])("candidates on %s", (_name, facts, dirs) => {
  expect(privateDirCandidates(facts as Parameters<typeof privateDirCandidates>[0]).map((c) => c.dir)).toEqual(dirs);
});

test("a fresh folder is made owner-only, and a group-readable one of ours is tightened", async () => {
  const base = tempDir("grpc-callouts-private-");
  expect(await checkPrivateDir(join(base, "fresh"))).toBeNull();
  expect(statSync(join(base, "fresh")).mode & 0o777).toBe(0o700);
  mkdirSync(join(base, "loose"), { mode: 0o750 });
  chmodSync(join(base, "loose"), 0o750);
  expect(await checkPrivateDir(join(base, "loose"))).toBeNull();
  expect(statSync(join(base, "loose")).mode & 0o777).toBe(0o700);
});

test("a folder others can write, a link, and a folder in a world-writable parent without the sticky bit are refused", async () => {
  const base = tempDir("grpc-callouts-private-");
  mkdirSync(join(base, "open"));
  chmodSync(join(base, "open"), 0o777);
  expect(await checkPrivateDir(join(base, "open"))).toMatch(/can be written by other users \(mode 777\)/);
  mkdirSync(join(base, "real"));
  symlinkSync(join(base, "real"), join(base, "link"));
  expect(await checkPrivateDir(join(base, "link"))).toMatch(/is not a folder/);
  mkdirSync(join(base, "shared"));
  chmodSync(join(base, "shared"), 0o777);
  expect(await checkPrivateDir(join(base, "shared", "grpc-callouts"))).toMatch(/can be written by every user/);
});

asRoot("a folder another user owns is refused, and the next candidate is used", async () => {
  const base = tempDir("grpc-callouts-private-");
  const planted = join(base, "planted", "grpc-callouts");
  mkdirSync(planted, { recursive: true });
  chmodSync(planted, 0o777);
  chownSync(planted, 65534, 65534);
  expect(await checkPrivateDir(planted)).toMatch(/belongs to another user \(uid 65534\)/);
  const found = await findPrivateDir([
    { dir: planted, documented: "planted" },
    { dir: join(base, "mine", "grpc-callouts"), documented: "mine" },
  ]);
  expect(found).toEqual({ dir: join(base, "mine", "grpc-callouts") });
  expect(readdirSync(planted)).toEqual([]);
  expect(existsSync(join(base, "mine", "grpc-callouts"))).toBe(true);
});
