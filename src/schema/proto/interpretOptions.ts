import type { DescExtension, FileRegistry } from "@bufbuild/protobuf";
import { CallError } from "../../core/errors/CallError";
import { Code } from "../../core/errors/Code";
import { applyOption } from "./applyOption";
import type { PendingOption } from "./parseProto";

/**
 * Sets the options that name extensions, once every file is in `registry`:
 * each `(name)` resolves from the scope it is written in outwards, as protoc
 * resolves it. `where` names the file for messages. Errors are
 * INVALID_ARGUMENT CallErrors starting with file:line:column.
 */
export function interpretOptions(pending: readonly PendingOption[], registry: FileRegistry, where: string): void {
  for (const p of pending) {
    const extension = (name: string): DescExtension | undefined => {
      if (name.startsWith(".")) return registry.getExtension(name.slice(1));
      const parts = p.scope === "" ? [] : p.scope.split(".");
      for (let i = parts.length; i >= 0; i--) {
        const found = registry.getExtension([...parts.slice(0, i), name].join("."));
        if (found !== undefined) return found;
      }
      return undefined;
    };
    try {
      applyOption(p.schema, p.options, p.option, { extension, registry });
    } catch (e) {
      throw new CallError(Code.INVALID_ARGUMENT, `${where}:${p.option.line}:${p.option.column}: ${e instanceof Error ? e.message : String(e)}.`, {
        hint: "Import the file that defines the option, or compile the schema to a descriptor set with `buf build -o schema.binpb` and use that as `proto:`.",
        cause: e,
      });
    }
  }
}
