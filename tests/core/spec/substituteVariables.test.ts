import type { CallError } from "../../../src/core/errors/CallError";
import { Code } from "../../../src/core/errors/Code";
import { createCallSpec, type CallSpec } from "../../../src/core/spec/CallSpec";
import { substituteVariables, type VariableSources } from "../../../src/core/spec/substituteVariables";

const spec = (text: string): CallSpec => createCallSpec("a.B/C", { metadata: { x: text } });
const env = { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI", API_TOKEN: "tok-abcdef" };
const sources = (envAllowed: VariableSources["envAllowed"], variables: Record<string, string> = {}): VariableSources => ({ variables, env, envAllowed });

test.each([
  ["off the allow-list (empty by default)", "{{env.AWS_SECRET_ACCESS_KEY}}", sources([]), Code.PERMISSION_DENIED, /may not read the environment variable AWS_SECRET_ACCESS_KEY/],
  ["another name than the listed one", "{{env.AWS_SECRET_ACCESS_KEY}}", sources(["API_TOKEN"]), Code.PERMISSION_DENIED, /AWS_SECRET_ACCESS_KEY/],
  ["allowed but not set", "{{env.NOT_SET}}", sources(["NOT_SET"]), Code.INVALID_ARGUMENT, /Unknown variable \{\{env.NOT_SET\}\}/],
  ["a value too short to mask", "{{pin}}", sources([], { pin: "123" }), Code.INVALID_ARGUMENT, /has 3 characters: too short to keep secret/],
])("%s is an error", (_name, text, src, code, message) => {
  const r = substituteVariables(spec(text), src) as CallError;
  expect(r.name).toBe("CallError");
  expect(r.code).toBe(code);
  expect(r.message).toMatch(message);
});

test("the allow-list error names the setting", () => {
  const r = substituteVariables(spec("{{env.AWS_SECRET_ACCESS_KEY}}"), sources([])) as CallError;
  expect(r.hint).toBe("Add AWS_SECRET_ACCESS_KEY to Settings → gRPC Callouts → Environment variables notes may read, if this note should send it.");
});

test.each([
  ["a listed name", sources(["API_TOKEN"])],
  ["any name in the terminal runner", sources("all")],
])("%s resolves, and is recorded as used and secret", (_name, src) => {
  const r = substituteVariables(spec("Bearer {{env.API_TOKEN}}"), src) as CallSpec;
  expect(r.metadata["x"]).toBe("Bearer tok-abcdef");
  expect(r.secrets).toEqual(["tok-abcdef"]);
  expect(r.variablesUsed).toEqual(["env.API_TOKEN"]);
});

test("a value of four characters is a secret; an empty one is nothing to mask", () => {
  const r = substituteVariables(spec("{{a}}-{{b}}"), sources([], { a: "abcd", b: "" })) as CallSpec;
  expect(r.metadata["x"]).toBe("abcd-");
  expect(r.secrets).toEqual(["abcd"]);
  expect(r.variablesUsed).toEqual(["a", "b"]);
});
