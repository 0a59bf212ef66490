import { describeOutbound, outboundOf } from "../../../src/core/run/OutboundRequest";
import { createCallSpec } from "../../../src/core/spec/CallSpec";
import { substituteVariables } from "../../../src/core/spec/substituteVariables";

test.each([
  ["the sidecar", null],
  ["loopback", "127.0.0.1:50051"],
  ["localhost", "localhost:9"],
  ["a unix socket", "unix:/tmp/s"],
])("a call to %s asks nothing", (_name, target) => {
  expect(outboundOf(createCallSpec("a.B/C", { target }), "n.md")).toBeNull();
});

test("the confirmation says where the call goes, which metadata keys and which variables leave the machine", () => {
  const spec = substituteVariables(
    createCallSpec("a.B/C", { target: "api.example.com:443", metadata: { authorization: "Bearer {{token}}", "x-trace": "1" }, requests: [{ key: "{{env.API_KEY}}" }] }),
    { variables: { token: "tok-123456" }, env: { API_KEY: "ak-987654" }, envAllowed: ["API_KEY"] },
  );
  if (spec instanceof Error) throw spec;
  const o = outboundOf(spec, "Notes/API.md");
  expect(o).toEqual({ notePath: "Notes/API.md", target: "api.example.com:443", metadataKeys: ["authorization", "x-trace"], variables: ["env.API_KEY", "token"], requests: 1 });
  expect(describeOutbound(o!)).toEqual([
    "A call in Notes/API.md goes to api.example.com:443.",
    "It sends the metadata keys authorization, x-trace.",
    "It carries the values of {{env.API_KEY}}, {{token}}: they leave this machine, although transcripts mask them.",
    "One request message is sent.",
  ]);
});

test("a call with nothing secret says so", () => {
  const o = outboundOf(createCallSpec("a.B/C", { target: "api.example.com:443", requests: [{}, {}] }), "n.md");
  expect(describeOutbound(o!).slice(1)).toEqual(["It sends no metadata.", "No variables or secrets are put into it.", "2 request messages are sent."]);
});
