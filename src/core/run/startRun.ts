import type { Runnable } from "../note/findRunnables";
import type { MethodKind } from "../spec/MethodKind";
import { CallError } from "../errors/CallError";
import type { JsonValue } from "../json/JsonValue";
import { Code } from "../errors/Code";
import type { CallSpec } from "../spec/CallSpec";
import type { CallEvent } from "../transcript/CallEvent";
import { maskSecrets, maskText, secretForms } from "../transcript/maskSecrets";
import { resolveReference } from "../spec/resolveReference";
import { MIN_SECRET_LENGTH } from "../spec/substituteVariables";
import { outboundOf, type OutboundRequest } from "./OutboundRequest";
import { planRun, type NoteContext, type RunOptions } from "./planRun";
import { statusOfError, type RunningCall } from "./RunningCall";
import { createRecord, recordEvent, type CallRecord } from "./CallRecord";
import { checkExpectations } from "./checkExpectations";

/** What the orchestrator needs from its front end: the call stage, the confirmation, the clock. */
export interface RunDeps {
  /** Starts the call a spec describes (src/call's startCall over the front end's host). */
  call(spec: CallSpec): RunningCall;
  /** Asks before a call leaves this machine; resolves true to go ahead. */
  confirm(request: OutboundRequest): Promise<boolean>;
  now(): number;
  /** What the note's named calls brought back in this session: a named call's record is put here when it ends. */
  records?: Map<string, CallRecord>;
}

/** A run as every front end shows it. */
export interface StartedRun {
  /** The spec being run; null when the runnable did not make one. */
  spec: CallSpec | null;
  /** The method and target as shown, secrets masked. */
  method: string;
  target: string;
  call: RunningCall;
}

/**
 * The one path from a runnable to a running call, for the plugin, the
 * terminal runner and the tests: plan the spec (frontmatter defaults,
 * variables, default deadline), ask before leaving this machine, then start
 * the call. Whatever stops it on the way is the run's final status.
 */
export function startRun(r: Runnable, note: NoteContext, options: RunOptions, deps: RunDeps): StartedRun {
  const planned = planRun(r, note, options);
  if (!planned.ok) return { spec: null, method: r.label, target: "", call: failedCall(planned.error) };
  return runSpec(planned.spec, note.path, deps);
}

/** The second half of startRun, for a spec already planned: ask before leaving this machine, then call. */
export function runSpec(spec: CallSpec, notePath: string, deps: RunDeps): StartedRun {
  const masks = secretForms(spec.secrets);
  const shown = { method: maskText(spec.method, masks), target: maskText(spec.target ?? "sidecar", masks) };
  if (spec.discover) {
    const error = new CallError(Code.INVALID_ARGUMENT, "This block has a target but no method.", { hint: "Use its List services button, or add `method:`." });
    return { spec, ...shown, call: failedCall(error) };
  }
  const outbound = outboundOf(spec, notePath);
  // The call stage gets no secrets to mask: the record must hold what came back as it came (a chained
  // token), so masking happens here, after recording, for the spec's own secrets and for chained ones.
  const start = (): RunningCall => judged(deps.call({ ...spec, secrets: [] }), spec, deps);
  if (outbound === null) return { spec, ...shown, call: start() };
  return { spec, ...shown, call: afterConfirm(outbound, shown.target, start, deps) };
}

/**
 * The call with what it brings back recorded: for a named call, into
 * `deps.records` when it ends (so later calls can refer to it); with
 * `expect:`, judged just before the status, as an `expectations` event.
 * Every event is masked here: the spec's secrets, and what other blocks send
 * on as metadata.
 */
function judged(call: RunningCall, spec: CallSpec, deps: RunDeps): RunningCall {
  const { name, expect } = spec;
  const record = createRecord();
  let masks = secretForms(spec.secrets);
  async function* events(): AsyncGenerator<CallEvent> {
    for await (const raw of call.events) {
      recordEvent(record, raw);
      // What other blocks send as metadata is masked here from the moment it arrives; the record keeps it for them.
      if (spec.responseSecrets.length > 0 && (raw.type === "message" || raw.type === "headers" || raw.type === "trailers")) {
        const found = spec.responseSecrets.map((p) => resolveReference(`${name ?? ""}.${p}`, name ?? "", { ...record, status: { code: 0, message: "" } })).filter((v): v is string => typeof v === "string" && v.length >= MIN_SECRET_LENGTH);
        if (found.length > 0) {
          record.secrets = [...new Set(found)];
          masks = secretForms([...new Set([...spec.secrets, ...found])]);
        }
      }
      const e = masks.length > 0 ? maskSecrets(raw, masks) : raw;
      if (e.type === "status") {
        if (expect !== null) {
          const judgedEvent: CallEvent = { type: "expectations", at: e.at, results: checkExpectations(expect, record) };
          yield masks.length > 0 ? maskSecrets(judgedEvent, masks) : judgedEvent;
        }
        if (name !== null) deps.records?.set(name, { ...record, secrets: [...new Set([...spec.secrets, ...record.secrets])] });
      }
      yield e;
    }
  }
  return { ...call, events: events(), kind: call.kind, send: (j) => call.send(j), halfClose: () => call.halfClose(), cancel: () => call.cancel() };
}

/** A call that ends at once with `error` as its status. */
export function failedCall(error: CallError): RunningCall {
  return {
    events: (async function* (): AsyncGenerator<CallEvent> {
      await Promise.resolve();
      yield statusOfError(error, 0);
    })(),
    kind: Promise.resolve(null),
    send: () => Promise.resolve(new CallError(Code.FAILED_PRECONDITION, "The call is not running.")),
    halfClose: () => undefined,
    cancel: () => undefined,
  };
}

/** A call that starts only once the user confirms where it goes; cancelling before that ends it as CANCELLED. */
function afterConfirm(outbound: OutboundRequest, shownTarget: string, start: () => RunningCall, deps: RunDeps): RunningCall {
  let inner: RunningCall | null = null;
  let cancelled = false;
  let wake: () => void = () => undefined;
  const cancelledWhileAsking = new Promise<false>((r) => (wake = () => r(false)));
  let resolveKind: (k: MethodKind | null | Promise<MethodKind | null>) => void = () => undefined;
  const kind = new Promise<MethodKind | null>((r) => (resolveKind = r));
  const t0 = deps.now();
  async function* events(): AsyncGenerator<CallEvent> {
    const yes = await Promise.race([deps.confirm(outbound).catch(() => false), cancelledWhileAsking]);
    if (!yes || cancelled) {
      resolveKind(null);
      const why = cancelled
        ? new CallError(Code.CANCELLED, "Cancelled before the call started.")
        : new CallError(Code.CANCELLED, `Not run: the call to ${shownTarget} was not confirmed.`, {
            hint: 'Run it again and confirm, or turn off "Confirm outbound calls" in the settings.',
          });
      yield statusOfError(why, deps.now() - t0);
      return;
    }
    inner = start();
    resolveKind(inner.kind);
    yield* inner.events;
  }
  return {
    events: events(),
    kind,
    send: (json: JsonValue) => (inner === null ? Promise.resolve(new CallError(Code.FAILED_PRECONDITION, "The call is not ready to send yet.")) : inner.send(json)),
    halfClose: () => inner?.halfClose(),
    cancel: () => {
      cancelled = true;
      wake();
      inner?.cancel();
    },
  };
}
