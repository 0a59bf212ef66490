/** Canonical gRPC status codes, by name. */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** One of the canonical status code names, such as `DEADLINE_EXCEEDED`. */
export type CodeName = keyof typeof Code;

const names = Object.keys(Code) as CodeName[];

/** The canonical name of a numeric status code; unknown numbers map to `UNKNOWN`. */
export function codeName(code: number): CodeName {
  return names[code] ?? "UNKNOWN";
}

/** The numeric code for a name such as "not_found" or "NOT_FOUND", or undefined. */
export function codeFromName(name: string): number | undefined {
  const key = name.trim().toUpperCase().replace(/[\s-]+/g, "_");
  return key in Code ? Code[key as CodeName] : undefined;
}
