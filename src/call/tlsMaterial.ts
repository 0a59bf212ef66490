import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import type { TlsSpec } from "../core/spec/CallSpec";
import { isLoopback } from "../core/spec/isLoopback";

/** What a spec's `tls:` comes to: the files read, verification, the name to check. */
export interface TlsMaterial {
  ca: Buffer | null;
  key: Buffer | null;
  cert: Buffer | null;
  /** Accept any server certificate (only when the block asks). */
  insecureSkipVerify: boolean;
  serverName: string | null;
  /** Tells connections with different TLS apart. */
  id: string;
}

/**
 * The TLS a spec asks for, or null for plaintext: plaintext for loopback and
 * TLS elsewhere by default (`target` decides), CA, client certificate and key
 * read through `readFile`. Both transports (grpc-js and Connect's) use it.
 */
export async function tlsMaterial(tls: boolean | TlsSpec | null, target: string, readFile: (path: string) => Promise<Uint8Array>): Promise<TlsMaterial | null> {
  const useTls = tls === null ? !isLoopback(target) : tls !== false;
  if (!useTls || tls === false) return null;
  if (tls === null || tls === true) return { ca: null, key: null, cert: null, insecureSkipVerify: false, serverName: null, id: "tls" };
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
  return { ca, key, cert, insecureSkipVerify: tls.insecureSkipVerify === true, serverName: tls.serverName ?? null, id: `tls:${JSON.stringify(tls)}` };
}
