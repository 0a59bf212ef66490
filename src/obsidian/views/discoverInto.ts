import { Notice, TFile, type App } from "obsidian";
import { insertBelow } from "../../core/note/insertBelow";
import { clientStreams, methodKindLabel, type MethodKind } from "../../core/spec/MethodKind";
import { CallError } from "../../core/errors/CallError";
import { Code } from "../../core/errors/Code";
import { outboundOf } from "../../core/run/OutboundRequest";
import { createCallSpec, type CallSpec } from "../../core/spec/CallSpec";
import { grpcFence, specToYaml } from "../../core/spec/specToYaml";
import { substituteVariables } from "../../core/spec/substituteVariables";
import { declaration } from "../../schema/describe/describeSymbol";
import { requestTemplateNode } from "../../schema/requestTemplate";
import { templateJson, type TemplateNode } from "../../core/spec/TemplateNode";
import type { RunController } from "../RunController";

/** What discovery needs of the plugin. */
export interface DiscoveryHost {
  app: App;
  controller: RunController;
}

/** The discovery block a listing belongs to. */
export interface DiscoverySource {
  notePath: string;
  /** The key of the block, so "Insert call" writes below it. */
  key: string;
  blockSpec: CallSpec;
}

/** Lists the methods at a discovery block's target into `list`, each with "Insert call". */
export async function discoverInto(host: DiscoveryHost, list: HTMLElement, source: DiscoverySource, signal: AbortSignal): Promise<void> {
  const { controller } = host;
  list.empty();
  list.createDiv({ cls: "grpc-callouts-discovery-status", text: `Asking ${source.blockSpec.target ?? "the sidecar"} for its services…` });
  const spec = substituteVariables(source.blockSpec, controller.runOptions(source.notePath).sources);
  if (spec instanceof Error) return renderError(list, spec);
  const outbound = outboundOf(spec, source.notePath);
  if (outbound !== null && !(await controller.confirm(outbound))) return renderError(list, new CallError(Code.CANCELLED, "Not listed: the call was not confirmed."));
  let methods;
  try {
    methods = await controller.host.discover(spec, signal);
  } catch (e) {
    return renderError(list, CallError.from(e));
  }
  list.empty();
  // For gRPC-Web and Connect, which protocol the server's reflection answered over.
  if (methods.via !== undefined && spec.protocol !== "grpc") list.createDiv({ cls: "grpc-callouts-discovery-via", text: `Reflection answered over ${methods.via}.` });
  if (methods.methods.length === 0 && methods.broken.length === 0) list.createDiv({ text: "The server lists no services." });
  let service = "";
  for (const m of methods.methods) {
    const [svc, name] = m.method.split("/");
    if (svc !== service) {
      service = svc ?? "";
      list.createDiv({ cls: "grpc-callouts-discovery-service", text: service });
    }
    const row = list.createDiv({ cls: "grpc-callouts-discovery-method" });
    row.createSpan({ cls: "grpc-callouts-discovery-name", text: name ?? "" });
    row.createSpan({ cls: "grpc-callouts-discovery-kind", text: ` ${methodKindLabel(m.kind)} · ${m.input.typeName} → ${m.output.typeName}` });
    const insert = row.createEl("button", { text: "Insert call", cls: "grpc-callouts-insert-call", attr: { type: "button", "aria-label": `Insert a call to ${m.method}` } });
    insert.addEventListener("click", (evt) => {
      evt.stopPropagation();
      void insertCall(host.app, source, m.method, m.kind, requestTemplateNode(m.input));
    });
    // The request and response messages as .proto text, with the schema's comments; server text stays text.
    const details = list.createEl("details", { cls: "grpc-callouts-discovery-messages" });
    details.createEl("summary", { text: "Messages" });
    details.addEventListener("toggle", () => {
      if (!details.open || details.querySelector("pre") !== null) return;
      const text = [m.desc, m.input, ...(m.output === m.input ? [] : [m.output])].map((d) => declaration(d)).join("\n");
      details.createEl("pre", { cls: "grpc-callouts-discovery-proto", text });
    });
  }
  for (const b of methods.broken) {
    const row = list.createDiv({ cls: "grpc-callouts-discovery-broken" });
    row.createDiv({ cls: "grpc-callouts-discovery-service", text: b.service });
    row.createDiv({ cls: "grpc-callouts-error", text: `${b.error.codeName}: ${b.error.message}` });
    if (b.error.hint !== undefined) row.createDiv({ cls: "grpc-callouts-hint", text: b.error.hint });
  }
}

/**
 * Writes a `grpc` block calling `method` below the discovery block, with
 * Vault.process. Names from the server are quoted in the YAML, and the fence
 * is longer than any backtick run in it.
 */
export async function insertCall(app: App, source: DiscoverySource, method: string, kind: MethodKind, template: TemplateNode): Promise<boolean> {
  const b = source.blockSpec;
  const spec = createCallSpec(method, { target: b.target, proto: b.proto, importPaths: b.importPaths, tls: b.tls, metadata: b.metadata, requests: [templateJson(template)] });
  const fence = grpcFence(specToYaml(spec, { manyRequests: clientStreams(kind), template }));
  const file = app.vault.getAbstractFileByPath(source.notePath);
  if (!(file instanceof TFile)) return false;
  let done = false;
  await app.vault.process(file, (data) => {
    const next = insertBelow(data, source.key, fence);
    done = next !== null;
    return next ?? data;
  });
  new Notice(done ? `Inserted a call to ${method}.` : "Could not find the block in the note any more.");
  return done;
}

function renderError(el: HTMLElement, e: CallError): void {
  el.empty();
  el.createDiv({ cls: "grpc-callouts-error", text: `${e.codeName}: ${e.message}` });
  if (e.hint !== undefined) el.createDiv({ cls: "grpc-callouts-hint", text: e.hint });
}
