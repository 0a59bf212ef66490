/** True for targets on this machine: localhost, 127.0.0.0/8, ::1, and unix sockets. */
export function isLoopback(target: string): boolean {
  const t = target.trim().toLowerCase().replace(/^dns:(\/\/\/)?/, "").replace(/^ipv[46]:/, "");
  if (t.startsWith("unix:") || t.startsWith("unix-abstract:")) return true;
  const host = t.startsWith("[") ? t.slice(1, t.indexOf("]")) : t.replace(/:\d+$/, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
