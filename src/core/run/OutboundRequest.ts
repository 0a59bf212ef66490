import type { CallSpec } from "../spec/CallSpec";
import { isLoopback } from "../spec/isLoopback";

/** What a call would send off this machine, for the outbound confirmation. */
export interface OutboundRequest {
  notePath: string;
  /** The target, variables filled in: where the call really goes. */
  target: string;
  /** The metadata keys that will be sent. */
  metadataKeys: string[];
  /** The variables whose values are in the target, metadata or requests, such as "token" or "env.API_KEY". */
  variables: string[];
  /** How many request messages the block sends (interactive calls send more as you type). */
  requests: number;
}

/** The outbound request of a spec, or null when its target is on this machine (or the sidecar). */
export function outboundOf(spec: CallSpec, notePath: string): OutboundRequest | null {
  if (spec.target === null || isLoopback(spec.target)) return null;
  return {
    notePath,
    target: spec.target,
    metadataKeys: Object.keys(spec.metadata).sort(),
    variables: [...spec.variablesUsed].sort(),
    requests: spec.requests.length,
  };
}

/** The confirmation's text: where the call goes and what leaves the machine with it. */
export function describeOutbound(o: OutboundRequest): string[] {
  const lines = [`A call in ${o.notePath} goes to ${o.target}.`];
  lines.push(o.metadataKeys.length === 0 ? "It sends no metadata." : `It sends the metadata keys ${o.metadataKeys.join(", ")}.`);
  lines.push(
    o.variables.length === 0
      ? "No variables or secrets are put into it."
      : `It carries the values of ${o.variables.map((v) => `{{${v}}}`).join(", ")}: they leave this machine, although transcripts mask them.`,
  );
  lines.push(`${o.requests === 1 ? "One request message is" : `${o.requests} request messages are`} sent.`);
  return lines;
}
