import type { MethodKind } from "../core/spec/MethodKind";
import type { CallError } from "../core/errors/CallError";
import type { JsonValue } from "../core/json/JsonValue";
import type { RunningCall } from "../core/run/RunningCall";
import type { StartedRun } from "../core/run/startRun";
import type { CallSpec } from "../core/spec/CallSpec";
import { applyEvent, createTranscript, type Transcript } from "../core/transcript/Transcript";

/**
 * One runnable's live state: its current or last call and that call's
 * transcript. It outlives the DOM that shows it, so a re-rendered note shows
 * the same transcript again; views subscribe to hear about changes.
 */
export class CallSession {
  transcript: Transcript | null = null;
  /** The spec of the last run, for Re-run. */
  spec: CallSpec | null = null;
  kind: MethodKind | null = null;
  private call: RunningCall | null = null;
  private readonly listeners = new Set<() => void>();
  private runs = 0;

  constructor(
    readonly key: string,
    /** Follows the note when it is renamed. */
    public notePath: string,
    public label: string,
  ) {}

  /** True while a call runs. */
  get running(): boolean {
    return this.call !== null;
  }

  /** Whether the running call can still send (client and bidi streams). */
  get canHalfClose(): boolean {
    return this.call !== null && (this.kind === "client_streaming" || this.kind === "bidi_streaming") && this.transcript?.halfClosedAt === null;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Shows a run the orchestrator started, cancelling any call still running; resolves with the finished transcript. */
  async run(started: StartedRun, maxRows: number, maxBytes?: number): Promise<Transcript> {
    this.cancel();
    const run = ++this.runs;
    this.spec = started.spec;
    this.kind = null;
    const transcript = createTranscript({ label: this.label, method: started.method, target: started.target, startedAt: Date.now(), maxRows, ...(maxBytes === undefined ? {} : { maxBytes }) });
    this.transcript = transcript;
    const call = started.call;
    this.call = call;
    void call.kind.then((k) => {
      if (this.runs === run) {
        this.kind = k;
        this.notify();
      }
    });
    this.notify();
    for await (const event of call.events) {
      applyEvent(transcript, event);
      if (this.runs === run) this.notify();
    }
    if (this.runs === run) {
      this.call = null;
      this.notify();
    }
    return transcript;
  }

  /** Sends one message on an interactive call. */
  async send(json: JsonValue): Promise<CallError | null> {
    const call = this.call;
    if (call === null) return null;
    return call.send(json);
  }

  /** Half-closes the request stream; the call goes on. */
  halfClose(): void {
    this.call?.halfClose();
  }

  /** Cancels the running call, if any. */
  cancel(): void {
    this.call?.cancel();
  }

  /** Cancels and forgets the transcript. */
  clear(): void {
    this.cancel();
    this.runs++;
    this.call = null;
    this.transcript = null;
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
