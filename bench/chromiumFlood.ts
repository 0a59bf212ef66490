// The page for B3 in Chromium: the plugin's own TranscriptView, in Debian's Chromium, rendering
// a flood of message events at the rate the real flood arrives. Obsidian renders in Chromium,
// so this is the engine users have; jsdom (the main B3) is far slower per DOM node.
import { installDomHelpers } from "../tests/support/domHelpers";
import { applyEvent, createTranscript, type Transcript } from "../src/core/transcript/Transcript";
import { toMarkdown } from "../src/core/transcript/toMarkdown";
import type { CallSession } from "../src/obsidian/CallSession";
import { TranscriptView } from "../src/obsidian/views/TranscriptView";
import { renderStats } from "../src/obsidian/views/renderStats";

installDomHelpers(window);

/**
 * Style and layout after each render batch, in ms. The browser would do this work in the
 * frame's rendering step anyway; forcing it right after the batch moves it where it can be timed.
 */
const layoutMs: number[] = [];
{
  const proto = TranscriptView.prototype;
  const flush: (this: TranscriptView) => void = Reflect.get<TranscriptView, "flush">(proto, "flush");
  proto.flush = function (this: TranscriptView): void {
    flush.call(this);
    const t0 = performance.now();
    void document.body.offsetHeight;
    layoutMs.push(performance.now() - t0);
  };
}

/** A received Feed event, its JSON made when read, like the client layer's events. */
class FeedEvent {
  readonly type = "message";
  readonly direction = "received";
  constructor(
    readonly index: number,
    readonly at: number,
  ) {}
  get json(): { seq: number; topic: string; serverTime: string } {
    return { seq: this.index, topic: "ticks", serverTime: new Date(1_764_000_000_000 + this.index).toISOString() };
  }
}

/** Just what the view reads of a call session. */
const listeners = new Set<() => void>();
const session = {
  transcript: null as Transcript | null,
  running: false,
  canHalfClose: false,
  spec: null,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  cancel(): void {},
  halfClose(): void {},
  clear(): void {},
};
const notify = (): void => {
  for (const l of listeners) l();
};

const root = document.getElementById("root") as HTMLElement;
const view = new TranscriptView(root, session as unknown as CallSession, {
  showTimestamps: true,
  view: "messages",
  onViewChange: () => undefined,
  compact: false,
  maxJsonChars: 2000,
  onRerun: () => undefined,
  onCopy: () => undefined,
  toMarkdown,
});
void view;

/** Messages a second: about what the sidecar delivers over loopback to the plugin on the development machine (B3). */
const RATE = 50_000;

/** What one flood reports back to the benchmark. */
export interface FloodResult {
  ms: number;
  /** Each render batch (the view's flush), in ms. */
  batches: number[];
  /** Style and layout after each render batch, in ms. */
  layoutMs: number[];
  /** Time between animation frames while the flood ran, in ms: style, layout and paint included. */
  frameGaps: number[];
  rows: number;
}

/**
 * Runs one flood of `count` messages into the view (a re-run after the first), and resolves
 * once its rows are in. With `render` false the view is not told: the baseline, where the
 * page does the same work except the view's.
 */
async function flood(count: number, maxRows: number, render: boolean): Promise<FloodResult> {
  renderStats.reset();
  layoutMs.length = 0;
  const t = createTranscript({ label: "Server-Streaming RPC", method: "grpccallouts.demo.v1.PatternService/Feed", target: "sidecar", startedAt: Date.now(), maxRows });
  session.transcript = t;
  session.running = true;
  const frameGaps: number[] = [];
  let measuring = true;
  let last = performance.now();
  const tick = (now: number): void => {
    frameGaps.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const t0 = performance.now();
  applyEvent(t, { type: "message", at: 0, direction: "sent", index: 1, json: { topic: "ticks", count, intervalMs: 0 } });
  applyEvent(t, { type: "headers", at: 1, metadata: [["content-type", "application/grpc"]] });
  notify();
  let seq = 0;
  await new Promise<void>((resolve) => {
    // Messages arrive at RATE a second, at most 64 in a task (one network read's worth, as grpc-js hands them over).
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const due = Math.min(count, Math.ceil(((performance.now() - t0) / 1000) * RATE));
      for (let i = 0; i < 64 && seq < due; i++) {
        seq++;
        applyEvent(t, new FeedEvent(seq, performance.now() - t0));
        if (render) notify();
      }
      if (seq < count) channel.port2.postMessage(0);
      else resolve();
    };
    channel.port2.postMessage(0);
  });
  applyEvent(t, { type: "trailers", at: performance.now() - t0, metadata: [] });
  session.running = false;
  applyEvent(t, { type: "status", at: performance.now() - t0, code: 0, message: "", details: [] });
  notify();
  const ms = performance.now() - t0;
  // The last rows are filled in over the next frames.
  for (let k = 0; render && k < 500 && (root.querySelectorAll(".grpc-callouts-row").length < Math.min(maxRows, count + 1) || root.querySelector(".grpc-callouts-retired") !== null); k++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  measuring = false;
  return { ms, batches: [...renderStats.durations], layoutMs: [...layoutMs], frameGaps: frameGaps.slice(1), rows: root.querySelectorAll(".grpc-callouts-row").length };
}

(window as unknown as { flood: typeof flood }).flood = flood;
document.body.setAttribute("data-ready", "yes");
