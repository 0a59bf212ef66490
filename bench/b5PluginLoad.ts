/** B5: plugin load time and main.js size. */
import { statSync } from "node:fs";
import { join } from "node:path";
import GrpcCalloutsPlugin from "../src/obsidian/GrpcCalloutsPlugin";
import { createApp, mockOf } from "../tests/support/host";
import { stats, fmt, record } from "./report";
import { ROOT, USER_NOTE, now } from "./harness";

export async function b5(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const env = createApp({ "n.md": USER_NOTE });
    const manifest = { id: "grpc-callouts", name: "", version: "", minAppVersion: "", description: "", author: "", dir: ".obsidian/plugins/grpc-callouts" };
    const plugin = new GrpcCalloutsPlugin(env.app as never, manifest);
    const mock = mockOf(plugin);
    const onload = mock.onload.bind(mock) as () => Promise<void>;
    let took = 0;
    mock.onload = () => {
      const t0 = now();
      const p = onload();
      void p.then(() => (took = now() - t0));
    };
    mock.load();
    await new Promise((r) => setTimeout(r, 5));
    if (i >= 5) times.push(took);
    if (plugin.launcher.status().state !== "off") throw new Error("onload started the sidecar");
    mock.unload();
    await plugin.stopped;
  }
  const m = stats(times).median;
  record({ id: "B5", what: "onload (no sidecar started)", value: fmt(times, "ms", 2), budget: "≤ 5 ms", pass: m <= 5 });
  const size = statSync(join(ROOT, "main.js")).size;
  record({ id: "B5", what: "production main.js size", value: `${(size / 1024 / 1024).toFixed(2)} MB (${size.toLocaleString("en-US")} bytes)`, budget: "≤ 0.7 MB", pass: size <= 0.7 * 1024 * 1024 });
}
