// grpcurl in and out: "Copy as grpcurl" writes the command that makes a block's call (secrets as
// "$NAME" placeholders, never their values), and "Paste grpcurl command as a block" reads
// grpcurl's own README examples back into blocks; each command is checked by parsing it back.
import { parse } from "shell-quote";
import { createCallSpec } from "../../../src/core/spec/CallSpec";
import { grpcurlCommand } from "../../../src/core/spec/grpcurlCommand";
import { grpcurlToBlock } from "../../../src/core/spec/grpcurlToBlock";
import { parseBlock } from "../../../src/core/spec/parseBlock";

const specOf = (yaml: string) => {
  const r = parseBlock(yaml);
  if (!r.ok) throw r.error;
  return r.spec;
};
const roundTrip = (yaml: string) => {
  const back = grpcurlToBlock(grpcurlCommand(specOf(yaml)));
  if ("error" in back) throw new Error(back.error);
  return specOf(back.yaml);
};

test("a TLS call with client certificates, a server name, metadata and a deadline", () => {
  const yaml = [
    "method: acme.v1.Orders/Get",
    "target: orders.example.com:443",
    "proto: protos/orders.proto",
    "import-paths: [protos]",
    "tls: {ca: certs/ca.pem, cert: certs/client.pem, key: certs/client.key, server-name: orders.internal}",
    'metadata: {authorization: "Bearer {{token}}", x-region: eu-west-1}',
    "deadline: 2.5s",
    "request: {id: \"it's 42\", n: 3}",
  ].join("\n");
  const command = grpcurlCommand(specOf(yaml));
  expect(command).toBe(
    `grpcurl -cacert certs/ca.pem -cert certs/client.pem -key certs/client.key -authority orders.internal -import-path protos -proto protos/orders.proto -H "authorization: Bearer \${TOKEN}" -H 'x-region: eu-west-1' -d '{"id":"it'"'"'s 42","n":3}' -max-time 2.5 orders.example.com:443 acme.v1.Orders/Get`,
  );
  // The shell reads it as the arguments meant, the placeholder filled from the environment.
  expect(parse(command, { TOKEN: "t0k3n" })).toContain("authorization: Bearer t0k3n");
  expect(parse(command, {})).toContain('{"id":"it\'s 42","n":3}');
  const back = roundTrip(yaml);
  expect([back.target, back.proto, back.importPaths, back.tls, back.metadata, back.deadlineMs, back.requests]).toEqual([
    "orders.example.com:443",
    "protos/orders.proto",
    ["protos"],
    { ca: "certs/ca.pem", cert: "certs/client.pem", key: "certs/client.key", serverName: "orders.internal" },
    { authorization: "Bearer {{TOKEN}}", "x-region": "eu-west-1" },
    2500,
    [{ id: "it's 42", n: 3 }],
  ]);
});

test("a protoset call, a plaintext loopback call, a stream of requests, and the sidecar with its token placeholder", () => {
  expect(grpcurlCommand(specOf("method: a.B/C\ntarget: 10.0.0.5:50051\nproto: schema.binpb\ntls: false\nrequest: {}"))).toBe("grpcurl -plaintext -protoset schema.binpb -d '{}' 10.0.0.5:50051 a.B/C");
  const stream = specOf('method: a.B/Up\ntarget: localhost:9000\nrequests: [{n: 1}, {n: 2}]');
  expect(grpcurlCommand(stream)).toBe(`grpcurl -plaintext -d '{"n":1}\n{"n":2}' localhost:9000 a.B/Up`);
  const back = grpcurlToBlock(grpcurlCommand(stream));
  expect("yaml" in back && specOf(back.yaml).requests).toEqual([{ n: 1 }, { n: 2 }]);
  const sidecar = grpcurlCommand(createCallSpec("grpccallouts.demo.v1.PatternService/Ask", { requests: [{ question: "hi" }] }), { address: "127.0.0.1:4321", tokenHeader: "x-grpc-callouts-token" });
  expect(sidecar).toBe(`grpcurl -plaintext -H "x-grpc-callouts-token: \${GRPC_CALLOUTS_TOKEN}" -d '{"question":"hi"}' 127.0.0.1:4321 grpccallouts.demo.v1.PatternService/Ask`);
});

test("a server's text cannot break out of its quotes", () => {
  const command = grpcurlCommand(createCallSpec("a.B/C", { target: "h:1", metadata: { x: "$(rm -rf ~) `id` \"q\"" }, requests: [{ t: "'; touch /tmp/p; '" }] }));
  const words = parse(command, {});
  expect(words.every((w) => typeof w === "string")).toBe(true);
  expect(words).toContain('x: $(rm -rf ~) `id` "q"');
  expect(words).toContain(`{"t":"'; touch /tmp/p; '"}`);
});

// From grpcurl's README.
test.each([
  ["grpcurl grpc.server.com:443 my.custom.server.Service/Method", "method: my.custom.server.Service/Method\ntarget: grpc.server.com:443\ntls: true"],
  ["grpcurl -plaintext grpc.server.com:80 my.custom.server.Service/Method", "method: my.custom.server.Service/Method\ntarget: grpc.server.com:80\ntls: false"],
  [`grpcurl -d '{"id": 1234, "tags": ["foo","bar"]}' grpc.server.com:443 my.custom.server.Service/Method`, 'method: my.custom.server.Service/Method\ntarget: grpc.server.com:443\ntls: true\nrequest: {"id":1234,"tags":["foo","bar"]}'],
  ["grpcurl grpc.server.com:443 list", "target: grpc.server.com:443\ntls: true"],
  ["grpcurl grpc.server.com:443 describe my.custom.server.Service.MethodOne", "target: grpc.server.com:443\ntls: true"],
  ["grpcurl -import-path ../protos -proto my-stuff.proto grpc.server.com:443 list", 'target: grpc.server.com:443\nproto: my-stuff.proto\nimport-paths: ["../protos"]\ntls: true'],
  ['grpcurl -H "Authorization: Bearer $TOKEN" -plaintext localhost:8080 a.B/C', 'method: a.B/C\ntarget: localhost:8080\ntls: false\nmetadata: {"authorization":"Bearer {{TOKEN}}"}'],
  // In single quotes the shell sends $TOKEN as it is, and so does the block.
  ["grpcurl -H 'Authorization: Bearer $TOKEN' -plaintext localhost:8080 a.B/C", 'method: a.B/C\ntarget: localhost:8080\ntls: false\nmetadata: {"authorization":"Bearer $TOKEN"}'],
])("pastes %s", (command, yaml) => {
  expect(grpcurlToBlock(command)).toEqual({ yaml });
});

test.each([
  ["grpcurl -d @ grpc.server.com:443 my.custom.server.Service/Method <<EOM\n{\"id\": 1}\nEOM", /-d @ reads the request from stdin/],
  ["grpcurl -protoset my-protos.bin list", /names no server address/],
  ["grpcurl -unix /tmp/s a.B/C", /-unix has no counterpart in a grpc block/],
  ["grpcurl -d '{bad' h:1 a.B/C", /-d does not read as JSON/],
  ["grpcurl h:1 a.B/C | jq .", /shell syntax a block cannot hold \(\|\)/],
])("refuses %s with a clear message", (command, message) => {
  const r = grpcurlToBlock(command);
  expect("error" in r && r.error).toMatch(message);
});
