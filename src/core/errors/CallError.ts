import type { JsonValue } from "../json/JsonValue";
import { Code, codeName, type CodeName } from "./Code";

/** Where in a note's text an error points, 1-based. */
export interface SourceLocation {
  line: number;
  column: number;
}

/**
 * The one error type of the plugin: a gRPC status code, a readable message,
 * decoded details, an optional hint saying what to do, and the original cause.
 */
export class CallError extends Error {
  override name = "CallError";
  readonly code: number;
  readonly details: JsonValue[];
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(
    code: number,
    message: string,
    init: { details?: JsonValue[]; hint?: string; location?: SourceLocation; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.details = init.details ?? [];
    this.hint = init.hint;
    this.location = init.location;
  }

  /** The canonical name of the code. */
  get codeName(): CodeName {
    return codeName(this.code);
  }

  /**
   * Turns anything caught into a CallError. A CallError (even from another
   * copy of this module) passes through; an object with a numeric `code`
   * and `details` (a grpc-js status error) keeps its code.
   */
  static from(reason: unknown, fallbackCode: number = Code.UNKNOWN): CallError {
    if (isCallError(reason)) return reason;
    if (reason instanceof Error || (typeof reason === "object" && reason !== null)) {
      const r = reason as { code?: unknown; details?: unknown; message?: unknown; name?: unknown };
      if (r.name === "AbortError") return new CallError(Code.CANCELLED, "Cancelled", { cause: reason });
      const code = typeof r.code === "number" && r.code >= 0 && r.code <= 16 ? r.code : fallbackCode;
      const message =
        typeof r.details === "string" && r.details !== ""
          ? r.details
          : typeof r.message === "string"
            ? r.message
            : "Unknown error";
      return new CallError(code, message, { cause: reason });
    }
    return new CallError(fallbackCode, String(reason), { cause: reason });
  }
}

/** True for a CallError, recognised by name so that two loaded copies agree. */
export function isCallError(value: unknown): value is CallError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "CallError" &&
    typeof (value as { code?: unknown }).code === "number"
  );
}
