import type { DescMethod, Registry } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { closest } from "../core/spec/closest";
import { splitMethod } from "../core/spec/CallSpec";

/**
 * The method "pkg.Service/Method" in `registry`, or a NOT_FOUND error value
 * that names the closest services or methods there are.
 */
export function findMethod(registry: Registry, method: string, services: readonly string[]): DescMethod | CallError {
  const { service, name } = splitMethod(method);
  const desc = registry.getService(service);
  if (desc === undefined) {
    const near = closest(service, services);
    return new CallError(Code.NOT_FOUND, `Unknown service "${service}".`, {
      hint:
        near.length > 0
          ? `Did you mean ${near.map((n) => `"${n}"`).join(" or ")}?`
          : `The server offers: ${services.join(", ") || "(no services)"}.`,
    });
  }
  const m = desc.methods.find((x) => x.name === name) ?? desc.methods.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (m !== undefined) return m;
  const names = desc.methods.map((x) => x.name);
  const near = closest(name, names);
  return new CallError(Code.NOT_FOUND, `${service} has no method "${name}".`, {
    hint: near.length > 0 ? `Did you mean ${near.map((n) => `"${service}/${n}"`).join(" or ")}?` : `Its methods: ${names.join(", ")}.`,
  });
}
