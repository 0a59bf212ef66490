import { Code } from "./Code";

/** What the user can do about a failed call, judged from its status; undefined when nothing useful can be said. */
export function hintFor(code: number, message: string, target: string): string | undefined {
  const m = message.toLowerCase();
  switch (code) {
    case Code.UNAVAILABLE:
      if (/certificate required|alert number 116|peer did not return a certificate/.test(m)) {
        return "The server requires a client certificate (mTLS): add `cert:` and `key:` under `tls:`.";
      }
      if (/certificate|ssl|tls|handshake|self.signed|unable to verify|wrong version number/.test(m)) {
        return "The TLS handshake failed. Check `tls:`: the server's CA (`ca:`), `server-name:`, or `tls: false` for a plaintext server.";
      }
      return target === "sidecar"
        ? "The sidecar is not reachable. Run the command \"Restart the sidecar\" and try again."
        : `Nothing answered at ${target}. Is the server running, and is the address right? For a plaintext server on another host, add \`tls: false\`.`;
    case Code.DEADLINE_EXCEEDED:
      return "The call took longer than its deadline. Raise `deadline:` in the block, or the default deadline in the settings.";
    case Code.RESOURCE_EXHAUSTED:
      return /larger than max|message size|too large/.test(m)
        ? "A message was over the size limit. Raise \"Maximum message size\" in the settings."
        : undefined;
    case Code.UNIMPLEMENTED:
      return "The server does not implement this method. Check the method name and the server's version.";
    case Code.UNAUTHENTICATED:
      return "The server wants credentials. Add them under `metadata:`, for example `authorization: \"Bearer {{token}}\"`.";
    case Code.INTERNAL:
      return /protocol|http2|parse/.test(m) ? "The server's answer could not be read. Is it a gRPC server, and is `tls:` right?" : undefined;
    default:
      return undefined;
  }
}
