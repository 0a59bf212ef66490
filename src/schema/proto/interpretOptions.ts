import type { DescExtension, FileRegistry, Message } from "@bufbuild/protobuf";
import { CallError } from "../../core/errors/CallError";
import { Code } from "../../core/errors/Code";
import { applyOption, flushOptions } from "./applyOption";
import type { PendingOption } from "./parseProto";

/**
 * Sets the options that name extensions, once every file is in `registry`:
 * each `(name)` resolves from the scope it is written in outwards, as protoc
 * resolves it. `where` names the file for messages. Errors are
 * INVALID_ARGUMENT CallErrors starting with file:line:column.
 */
export function interpretOptions(pending: readonly PendingOption[], registry: FileRegistry, where: string): void {
  const held = new Map<Message, Map<DescExtension, unknown>>();
  // Most options name the same few extensions from the same scopes: look each pair up once.
  const known = new Map<string, DescExtension | undefined>();
  const lookUp = (scope: string, name: string): DescExtension | undefined => {
    if (name.startsWith(".")) return registry.getExtension(name.slice(1));
    const key = `${scope}\u0000${name}`;
    if (known.has(key)) return known.get(key);
    let found: DescExtension | undefined;
    for (let s = scope; found === undefined; s = s.slice(0, Math.max(s.lastIndexOf("."), 0))) {
      found = registry.getExtension(s === "" ? name : `${s}.${name}`);
      if (s === "") break;
    }
    known.set(key, found);
    return found;
  };
  for (const p of pending) {
    const extension = (name: string): DescExtension | undefined => lookUp(p.scope, name);
    try {
      applyOption(p.schema, p.options, p.option, { extension, registry, held });
    } catch (e) {
      throw new CallError(Code.INVALID_ARGUMENT, `${where}:${p.option.line}:${p.option.column}: ${e instanceof Error ? e.message : String(e)}.`, {
        hint: "Import the file that defines the option, or compile the schema to a descriptor set with `buf build -o schema.binpb` and use that as `proto:`.",
        cause: e,
      });
    }
  }
  flushOptions(held);
}
