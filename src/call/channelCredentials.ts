import { credentials, type ChannelCredentials } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { TlsSpec } from "../core/spec/CallSpec";
import { isLoopback } from "../core/spec/isLoopback";

/** Credentials for a target, a key that tells channels with different TLS apart, and channel options. */
export interface ChannelSecurity {
  creds: ChannelCredentials;
  key: string;
  options: Record<string, string>;
}

/**
 * The channel credentials a spec's `tls:` asks for: plaintext for loopback
 * and TLS elsewhere by default; CA, client certificate and key read through
 * `readFile`; a server-name override; verification off only when asked.
 */
export async function channelCredentials(tls: boolean | TlsSpec | null, target: string, readFile: (path: string) => Promise<Uint8Array>): Promise<ChannelSecurity> {
  const useTls = tls === null ? !isLoopback(target) : tls !== false;
  if (!useTls || tls === false) return { creds: credentials.createInsecure(), key: "insecure", options: {} };
  if (tls === null || tls === true) return { creds: credentials.createSsl(), key: "tls", options: {} };
  const read = async (p: string | undefined): Promise<Buffer | null> => {
    if (p === undefined) return null;
    try {
      return Buffer.from(await readFile(p));
    } catch (e) {
      throw new CallError(Code.FAILED_PRECONDITION, `Cannot read the TLS file "${p}": ${CallError.from(e).message}`, {
        hint: "TLS paths are vault paths, like certs/ca.pem.",
      });
    }
  };
  const [ca, key, cert] = await Promise.all([read(tls.ca), read(tls.key), read(tls.cert)]);
  if ((key === null) !== (cert === null)) {
    throw new CallError(Code.INVALID_ARGUMENT, "A client certificate needs both `cert:` and `key:`.");
  }
  const verify = {
    ...(tls.insecureSkipVerify === true ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
  };
  const creds = credentials.createSsl(ca, key, cert, verify);
  const options: Record<string, string> = tls.serverName === undefined ? {} : { "grpc.ssl_target_name_override": tls.serverName, "grpc.default_authority": tls.serverName };
  return { creds, key: `tls:${JSON.stringify(tls)}`, options };
}
