import type { MethodKind } from "../spec/MethodKind";
import type { CallError } from "../errors/CallError";
import type { JsonValue } from "../json/JsonValue";
import type { CallEvent } from "../transcript/CallEvent";

/** A call in flight, with its controls. */
export interface RunningCall {
  /** Everything that happens, ending with one status event. Never throws. */
  readonly events: AsyncIterable<CallEvent>;
  /** The method kind, once resolved; null when the call never started. */
  readonly kind: Promise<MethodKind | null>;
  /** Sends one more message (interactive calls); an error value when it does not fit the schema. */
  send(json: JsonValue): Promise<CallError | null>;
  /** Stops sending and half-closes the request stream; the call goes on. */
  halfClose(): void;
  /** Cancels the call; the status becomes CANCELLED. */
  cancel(): void;
}

/** The final status event for an error that stopped a run, with its location folded into the hint. */
export function statusOfError(error: CallError, at: number): Extract<CallEvent, { type: "status" }> {
  const where = error.location === undefined ? "" : `Line ${error.location.line}, column ${error.location.column}. `;
  const hint = `${where}${error.hint ?? ""}`.trim();
  return { type: "status", at, code: error.code, message: error.message, details: error.details, ...(hint === "" ? {} : { hint }) };
}
