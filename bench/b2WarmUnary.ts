/** B2: warm unary round trips through the plugin against bare grpc-js. */
import { Metadata } from "@grpc/grpc-js";
import { TOKEN_HEADER } from "../src/sidecar/handshake";
import { stats, fmt, record } from "./report";
import { bareClient, withPlugin, whenDom, bareUnary, USER_NOTE, now, alternate } from "./harness";

export async function b2(): Promise<void> {
  const ours: number[] = [];
  const bare: number[] = [];
  await withPlugin({ runtime: "obsidian" }, USER_NOTE, async (plugin, root) => {
    const ep = await plugin.launcher.start();
    const client = bareClient(ep.address);
    const md = new Metadata();
    md.set(TOKEN_HEADER, ep.token);
    const callout = root.querySelectorAll<HTMLElement>(".callout")[0] as HTMLElement;
    const session = () => plugin.sessions.forNote("n.md").find((s) => s.key === "callout:Simple RPC");
    const runBare = async (i: number): Promise<void> => {
      const t1 = now();
      await bareUnary(client, md);
      if (i >= 10) bare.push(now() - t1);
    };
    const runOurs = async (i: number): Promise<void> => {
      const prev = session()?.transcript ?? null;
      const shown = (): boolean => {
        const s = session();
        return s !== undefined && s.transcript !== prev && s.transcript?.state === "done" && callout.querySelector('.grpc-callouts-status[data-code="OK"]') !== null;
      };
      const t0 = now();
      callout.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
      // Listen to the session too: it is told after the view has rendered, with no DOM-observer delay.
      let off: () => void = () => undefined;
      await Promise.race([
        whenDom(callout, shown),
        new Promise<void>((resolve) => {
          off = session()?.subscribe(() => (shown() ? resolve() : undefined)) ?? (() => undefined);
        }),
      ]);
      off();
      if (i >= 10) ours.push(now() - t0);
    };
    // Interleave ours and the baseline, taking turns at going first.
    await alternate(70, runBare, runOurs);
    client.close();
  });
  const ratio = stats(ours).median / stats(bare).median;
  record({ id: "B2", what: "baseline: bare grpc-js unary call", value: fmt(bare), budget: "", pass: null });
  record({ id: "B2", what: "warm unary: click → OK shown", value: `${fmt(ours)}; ${ratio.toFixed(2)}× baseline`, budget: "≤ 3× baseline", pass: ratio <= 3 });
}
