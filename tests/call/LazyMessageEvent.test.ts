import { create } from "@bufbuild/protobuf";
import { LazyMessageEvent, messageJson } from "../../src/call/LazyMessageEvent";
import { AskResponseSchema } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";

test("a message event makes its JSON when read, once, and serializes with it", () => {
  const m = create(AskResponseSchema, { answer: "hi" });
  const e = new LazyMessageEvent(12, "received", 1, AskResponseSchema, m, undefined, 42);
  m.answer = "changed before the first read";
  // Made at the first read, not before.
  expect(e.json).toEqual({ answer: "changed before the first read" });
  m.answer = "changed after";
  expect(e.json).toEqual({ answer: "changed before the first read" });
  expect(JSON.parse(JSON.stringify(e))).toEqual({ type: "message", at: 12, direction: "received", index: 1, json: { answer: "changed before the first read" }, bytes: 42 });
  // The decoded message stays private: nothing but the event's fields is enumerable.
  expect(Object.keys(e).sort()).toEqual(["at", "bytes", "direction", "index", "type"]);
});

test("a message that cannot be printed becomes an @error value, not a throw", () => {
  const broken = { $typeName: "grpccallouts.demo.v1.AskResponse", answer: 42 } as never;
  expect(messageJson(AskResponseSchema, broken, undefined)).toEqual({ "@error": expect.stringContaining("cannot print grpccallouts.demo.v1.AskResponse") as string });
});
