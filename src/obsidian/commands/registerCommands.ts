import { grpcurlToBlock } from "../../core/spec/grpcurlToBlock";
import { EnvironmentModal } from "../views/EnvironmentModal";
import { Notice, type Editor, type MarkdownFileInfo, type MarkdownView } from "obsidian";
import { appendToCallout } from "../../core/note/insertBelow";
import { findRunnables, runnableAt, type Runnable } from "../../core/note/findRunnables";
import { METHOD_KINDS, methodKindLabel, type MethodKind } from "../../core/spec/MethodKind";
import { demoSpec } from "../../core/spec/demoSpec";
import { parseBlock } from "../../core/spec/parseBlock";
import { grpcFence, specToYaml } from "../../core/spec/specToYaml";
import type GrpcCalloutsPlugin from "../GrpcCalloutsPlugin";
import type { GrpcCalloutsSettings } from "../settings";
import { DiscoveryModal } from "../views/DiscoveryModal";
import { discoverInto } from "../views/discoverInto";

/** Adds the plugin's commands; none has a default hotkey. */
export function registerCommands(plugin: GrpcCalloutsPlugin): void {
  const { controller } = plugin;
  plugin.addCommand({
    id: "run-at-cursor",
    name: "Run the callout or block at the cursor",
    editorCheckCallback: (checking, editor, view) => {
      const { path, r } = atCursor(editor, view);
      if (checking) return r !== undefined;
      if (path !== undefined && r !== undefined) void runWithNotice(plugin, path, r);
      return true;
    },
  });
  plugin.addCommand({
    id: "run-all",
    name: "Run all calls in the current note",
    editorCallback: (editor, view) => {
      const path = view.file?.path;
      if (path !== undefined) void controller.runAll(path, editor.getValue());
    },
  });
  plugin.addCommand({
    id: "cancel-all",
    name: "Cancel all running calls",
    callback: () => {
      const n = plugin.sessions.cancelAll();
      new Notice(n === 0 ? "No calls are running." : `Cancelled ${n} running call${n === 1 ? "" : "s"}.`);
    },
  });
  plugin.addCommand({ id: "start-sidecar", name: "Start the sidecar", callback: () => void plugin.startSidecar() });
  plugin.addCommand({
    id: "stop-sidecar",
    name: "Stop the sidecar",
    callback: async () => {
      plugin.sessions.cancelAll();
      await plugin.launcher.stop();
      new Notice("gRPC sidecar stopped.");
    },
  });
  plugin.addCommand({
    id: "restart-sidecar",
    name: "Restart the sidecar",
    callback: async () => {
      plugin.sessions.cancelAll();
      await plugin.launcher.stop();
      await plugin.startSidecar();
    },
  });
  plugin.addCommand({ id: "show-sidecar-status", name: "Show sidecar status", callback: () => plugin.openStatus() });
  for (const kind of METHOD_KINDS) {
    plugin.addCommand({
      id: `insert-${kind.replace("_", "-")}-callout`,
      name: `Insert a runnable ${methodKindLabel(kind).replace(" RPC", "").toLowerCase()} callout`,
      editorCallback: (editor) => insertCallout(editor, kind, plugin.settings),
    });
  }
  plugin.addCommand({
    id: "make-callout-explicit",
    name: "Make this callout explicit",
    editorCheckCallback: (checking, editor, view) => {
      const text = editor.getValue();
      const r = runnableAt(findRunnables(text), editor.getCursor().line);
      const ok = r !== undefined && r.kind === "callout" && r.block === null && r.pattern !== null && view.file !== null;
      if (checking) return ok;
      if (!ok || r.pattern === null) return true;
      const spec = demoSpec(r.pattern, { count: plugin.settings.demoCount, intervalMs: plugin.settings.demoIntervalMs });
      const next = appendToCallout(text, r.key, grpcFence(specToYaml(spec)));
      if (next !== null) applyEdit(editor, text, next);
      return true;
    },
  });
  plugin.addCommand({
    id: "list-services",
    name: "List the services of the block's target",
    editorCheckCallback: (checking, editor, view) => {
      const { path, r } = atCursor(editor, view);
      const parsed = r?.block == null || path === undefined ? null : parseBlock(r.block.source, { defaults: controller.noteContext(path).defaults });
      const ok = path !== undefined && r !== undefined && parsed?.ok === true && parsed.spec.target !== null;
      if (checking) return ok;
      if (!ok || parsed?.ok !== true || r === undefined || path === undefined) return true;
      const source = { notePath: path, key: r.key, blockSpec: parsed.spec };
      new DiscoveryModal(plugin.app, (list, signal) => discoverInto(plugin, list, source, signal)).open();
      return true;
    },
  });
  plugin.addCommand({
    id: "clear-transcripts",
    name: "Clear all transcripts in the note",
    checkCallback: (checking) => {
      const file = plugin.app.workspace.getActiveFile();
      if (checking) return file !== null;
      if (file !== null) {
        const n = plugin.sessions.clearNote(file.path);
        new Notice(n === 0 ? "No transcripts to clear." : `Cleared ${n} transcript${n === 1 ? "" : "s"}.`);
      }
      return true;
    },
  });
  plugin.addCommand({
    id: "reload-schemas",
    name: "Reload schemas",
    callback: () => {
      plugin.reloadSchemas();
      new Notice("Schemas will be read again at the next run: reflection, .proto files and descriptor sets.");
    },
  });
  plugin.addCommand({
    id: "copy-as-grpcurl",
    name: "Copy the call at the cursor as grpcurl",
    editorCheckCallback: (checking, editor, view) => {
      const { path, r } = atCursor(editor, view);
      if (checking) return r !== undefined;
      if (path !== undefined && r !== undefined) void controller.copyGrpcurl(path, r.key);
    },
  });
  plugin.addCommand({
    id: "paste-grpcurl",
    name: "Paste grpcurl as a block",
    editorCallback: (editor) => void pasteGrpcurl(editor),
  });
  plugin.addCommand({
    id: "switch-environment",
    name: "Switch gRPC environment",
    callback: () => {
      const s = plugin.settings;
      new EnvironmentModal(plugin.app, Object.keys(s.environments), s.activeEnvironment, (name) => {
        s.activeEnvironment = name;
        void plugin.saveSettings();
        new Notice(name === "" ? "No gRPC environment: only the global variables." : `gRPC environment: ${name}.`);
      }).open();
    },
  });
  plugin.addCommand({ id: "save-last-transcript", name: "Save the last transcript into the note", callback: () => void plugin.saveLastTranscript() });
}

/** Reads a grpcurl command from the clipboard and puts the `grpc` block that makes the same call at the cursor. */
async function pasteGrpcurl(editor: Editor): Promise<void> {
  let text: string;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    new Notice("Could not read the clipboard.");
    return;
  }
  const block = grpcurlToBlock(text.trim());
  if ("error" in block) {
    new Notice(`Not pasted: ${block.error}`);
    return;
  }
  editor.replaceRange(`${grpcFence(block.yaml)}\n`, editor.getCursor());
}

async function runWithNotice(plugin: GrpcCalloutsPlugin, path: string, r: Runnable): Promise<void> {
  const t = await plugin.controller.runRunnable(path, r);
  if (t?.status != null) new Notice(`${r.label}: ${t.status.codeName} (${t.sent} sent, ${t.received} received)`);
}

function insertCallout(editor: Editor, kind: MethodKind, settings: GrpcCalloutsSettings): void {
  const spec = demoSpec(kind, { count: settings.demoCount, intervalMs: settings.demoIntervalMs });
  const text = [`> [!summary] ${methodKindLabel(kind)}`, grpcFence(specToYaml(spec), "> "), ""].join("\n");
  const cursor = editor.getCursor();
  const line = editor.getLine(cursor.line);
  const prefix = line.trim() === "" ? "" : "\n\n";
  editor.replaceRange(`${prefix}${text}`, { line: cursor.line, ch: line.length });
}

/** Replaces only the changed middle of the text, so the editor keeps the cursor and undo history tidy. */
function applyEdit(editor: Editor, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  editor.replaceRange(after.slice(start, endA), editor.offsetToPos(start), editor.offsetToPos(endB));
}

/** The note path and the runnable under the editor's cursor, if any. */
function atCursor(editor: Editor, view: MarkdownView | MarkdownFileInfo): { path: string | undefined; r: Runnable | undefined } {
  const path = view.file?.path;
  return { path, r: path === undefined ? undefined : runnableAt(findRunnables(editor.getValue()), editor.getCursor().line) };
}
