// grpcurl speaks plain gRPC only: a gRPC-Web or Connect block gets the buf curl command that makes its
// call (and, for Connect unary, plain curl), secrets as "$NAME" placeholders; each is read back as a shell would.
import { parse } from "shell-quote";
import { bufCurlCommand, connectCurlCommand } from "../../../src/core/spec/bufCurlCommand";
import { parseBlock } from "../../../src/core/spec/parseBlock";

const specOf = (yaml: string) => {
  const r = parseBlock(yaml);
  if (!r.ok) throw r.error;
  return r.spec;
};

test("Connect over TLS with a schema, client certificates, metadata, data and a deadline", () => {
  const spec = specOf(
    [
      "protocol: connect",
      "target: https://api.example.com",
      "proto: protos/greet.proto",
      "tls: {ca: certs/ca.pem, cert: certs/c.pem, key: certs/c.key, server-name: api.internal}",
      'metadata: {authorization: "Bearer {{token}}"}',
      "deadline: 1.5s",
      "method: acme.v1.Greeter/Greet",
      "request: {name: Ada}",
    ].join("\n"),
  );
  const command = bufCurlCommand(spec);
  expect(parse(command, { TOKEN: "s3cret" })).toEqual([
    "buf", "curl", "--protocol", "connect", "--schema", "protos/greet.proto",
    "--cacert", "certs/ca.pem", "--cert", "certs/c.pem", "--key", "certs/c.key", "--servername", "api.internal",
    "-H", "authorization: Bearer s3cret", "-d", '{"name":"Ada"}', "--max-time", "1.5",
    "https://api.example.com/acme.v1.Greeter/Greet",
  ]);
  expect(command).not.toContain("s3cret");
});

test("gRPC-Web in plaintext on HTTP/2 asks for prior knowledge; the URL comes from host:port", () => {
  const words = parse(bufCurlCommand(specOf("protocol: grpc-web\nhttp: 2\ntarget: 127.0.0.1:8080\nmethod: a.B/C\n")), {});
  expect(words).toEqual(["buf", "curl", "--protocol", "grpcweb", "--http2-prior-knowledge", "http://127.0.0.1:8080/a.B/C"]);
});

test("Connect unary as plain curl: a JSON POST with the deadline as Connect-Timeout-Ms", () => {
  const words = parse(connectCurlCommand(specOf("protocol: connect\ntarget: 127.0.0.1:8080\ndeadline: 2s\nmetadata: {x-a: b}\nmethod: a.B/C\nrequest: {q: 1}\n")), {});
  expect(words).toEqual(["curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json", "-H", "x-a: b", "-H", "Connect-Timeout-Ms: 2000", "-d", '{"q":1}', "http://127.0.0.1:8080/a.B/C"]);
});
