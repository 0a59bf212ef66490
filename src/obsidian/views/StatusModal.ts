import { Modal, type App } from "obsidian";
import type { SidecarStatus } from "../../sidecar/Launcher";

/** Shows the sidecar's state, runtime, pid, port, uptime and log tail. */
export class StatusModal extends Modal {
  constructor(
    app: App,
    private readonly status: () => SidecarStatus,
  ) {
    super(app);
  }

  override onOpen(): void {
    const s = this.status();
    this.setTitle("gRPC sidecar status");
    const { contentEl } = this;
    contentEl.empty();
    contentEl.addClass("grpc-callouts-status-modal");
    const rows: Array<[string, string]> = [
      ["State", s.state],
      ["Runtime", s.runtime ?? "none"],
      ["Process id", s.pid === null ? "none" : String(s.pid)],
      ["Port", s.port === null ? "none" : `127.0.0.1:${s.port}`],
      ["Uptime", s.startedAt === null ? "not running" : formatUptime(Date.now() - s.startedAt)],
      ["Start time", s.timings === null ? "not running" : `spawned in ${s.timings.spawnMs} ms, ready in ${s.timings.readyMs} ms`],
      ["Memory", s.rssBytes === null ? (s.runtime === "in-process" ? "part of Obsidian's own" : "not known") : `${(s.rssBytes / 1024 / 1024).toFixed(1)} MB resident`],
    ];
    if (s.error !== null) rows.push(["Last error", s.error]);
    const dl = contentEl.createEl("dl", { cls: "grpc-callouts-status-list" });
    for (const [k, v] of rows) {
      dl.createEl("dt", { text: k });
      dl.createEl("dd", { text: v });
    }
    for (const a of s.attempts) contentEl.createDiv({ cls: "grpc-callouts-attempt", text: `${a.runtime} runtime ${a.error.startsWith("skipped") ? "" : "failed: "}${a.error}${s.runtime === null ? "" : `; the ${s.runtime} runtime runs instead`}` });
    contentEl.createEl("h4", { text: "Log" });
    contentEl.createEl("pre", { cls: "grpc-callouts-log", text: s.log.length === 0 ? "(empty)" : s.log.join("\n") });
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}

/** "2 h 3 min", "4 min 5 s" or "6 s". */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
