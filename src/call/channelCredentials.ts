import { credentials, type ChannelCredentials } from "@grpc/grpc-js";
import type { TlsSpec } from "../core/spec/CallSpec";
import { tlsMaterial } from "./tlsMaterial";

/** Credentials for a target, a key that tells channels with different TLS apart, and channel options. */
export interface ChannelSecurity {
  creds: ChannelCredentials;
  key: string;
  options: Record<string, string>;
}

/**
 * The grpc-js channel credentials a spec's `tls:` asks for (see tlsMaterial):
 * a server-name override; verification off only when asked.
 */
export async function channelCredentials(tls: boolean | TlsSpec | null, target: string, readFile: (path: string) => Promise<Uint8Array>): Promise<ChannelSecurity> {
  const m = await tlsMaterial(tls, target, readFile);
  if (m === null) return { creds: credentials.createInsecure(), key: "insecure", options: {} };
  const verify = m.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {};
  const creds = m.ca === null && m.key === null && !m.insecureSkipVerify ? credentials.createSsl() : credentials.createSsl(m.ca, m.key, m.cert, verify);
  const options: Record<string, string> = m.serverName === null ? {} : { "grpc.ssl_target_name_override": m.serverName, "grpc.default_authority": m.serverName };
  return { creds, key: m.id, options };
}
