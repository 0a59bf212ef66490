import { parseBlock } from "../../../src/core/spec/parseBlock";
import { parseDuration, formatDuration } from "../../../src/core/spec/parseDuration";
import { normalizeMethod } from "../../../src/core/spec/CallSpec";
import { specToYaml } from "../../../src/core/spec/specToYaml";
import { demoSpec } from "../../../src/core/spec/demoSpec";
import { METHOD_KINDS } from "../../../src/core/spec/MethodKind";

describe("parseBlock", () => {
  test("a full block", () => {
    const r = parseBlock(
      [
        "method: routeguide.RouteGuide.RouteChat",
        "target: localhost:50051",
        "proto: protos/route_guide.proto",
        "import-paths: [protos]",
        "tls: {ca: certs/ca.pem, server-name: example.com, insecure-skip-verify: false}",
        "metadata: {Authorization: 'Bearer {{token}}', x-n: 5}",
        "deadline: 1.5s",
        "interval: 200ms",
        "interactive: true",
        "requests:",
        "  - {latitude: 1}",
        "  - {latitude: 2}",
      ].join("\n"),
      { firstLine: 10 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec).toMatchObject({
      method: "routeguide.RouteGuide/RouteChat",
      target: "localhost:50051",
      proto: "protos/route_guide.proto",
      importPaths: ["protos"],
      tls: { ca: "certs/ca.pem", serverName: "example.com", insecureSkipVerify: false },
      metadata: { authorization: "Bearer {{token}}", "x-n": "5" },
      deadlineMs: 1500,
      intervalMs: 200,
      interactive: true,
      requests: [{ latitude: 1 }, { latitude: 2 }],
      discover: false,
    });
    expect(r.spec.locations["requests.1"]).toEqual({ line: 21, column: 5 });
  });

  test("frontmatter defaults apply and the block's own keys win", () => {
    const r = parseBlock("method: a.B/C\ntarget: here:1", { defaults: { target: "there:2", metadata: { a: "b" } } });
    expect(r.ok && [r.spec.target, r.spec.metadata]).toEqual(["here:1", { a: "b" }]);
  });

  test.each([
    ["", /The block is empty/],
    ["request: {}", /The block has no `method:`/],
    ["method: [1]", /`method:` must be text/],
    ["method: nope", /"nope" is not a method name/],
    ["method: a.B/C\nmethd: x", /Unknown key "methd"/],
    ["method: a.B/C\ndeadline: 5", /needs a unit/],
    ["method: a.B/C\ndeadline: soon", /"soon" is not a duration/],
    ["method: a.B/C\ntls: maybe", /`tls:` must be true, false, or a mapping/],
    ["method: a.B/C\ntls: {cacert: x}", /Unknown TLS key "cacert"/],
    ["method: a.B/C\nmetadata: [a]", /`metadata:` must be a mapping/],
    ["method: a.B/C\nmetadata: {'bad key': x}", /not a valid metadata key/],
    ["method: a.B/C\nrequest: [1]", /`request:` must be one message/],
    ["method: a.B/C\nrequests: {a: 1}", /`requests:` must be a list/],
    ["method: a.B/C\nrequests: [1]", /Request 1 must be a message/],
    ["method: a.B/C\nrequest: {}\nrequests: []", /either `request:` or `requests:`/],
    ["method: a.B/C\ninteractive: yes please", /`interactive:` must be true or false/],
    ["method: a.B/C\nmethod: d.E/F", /YAML syntax error/],
    ["- a\n- b", /must be a YAML mapping/],
  ])("%j is an error", (source, message) => {
    const r = parseBlock(source);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.codeName).toBe("INVALID_ARGUMENT");
      expect(r.error.location?.line).toBeGreaterThanOrEqual(1);
    }
  });

  test("unknown keys suggest the closest", () => {
    const r = parseBlock("method: a.B/C\nrequets: []");
    expect(!r.ok && r.error.hint).toBe('Did you mean "requests" or "request"?');
  });
});

describe("durations and method names", () => {
  test.each([
    ["250ms", 250],
    ["1.5s", 1500],
    ["2m", 120000],
    ["1h", 3600000],
    [" 3 S ", 3000],
  ])("%j is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
  test.each([
    [250, "250ms"],
    [1500, "1.5s"],
    [120000, "2m"],
    [90000, "90s"],
  ])("%d ms prints as %j", (ms, text) => expect(formatDuration(ms)).toBe(text));
  test.each([
    ["pkg.Service.Method", "pkg.Service/Method"],
    ["/pkg.Service/Method", "pkg.Service/Method"],
    ["pkg.Service/Method", "pkg.Service/Method"],
  ])("%j normalises to %j", (a, b) => expect(normalizeMethod(a)).toBe(b));
});

test.each(METHOD_KINDS)("the %s demo spec survives specToYaml and parseBlock", (kind) => {
  const spec = demoSpec(kind, { count: 3, intervalMs: 50 });
  const r = parseBlock(specToYaml(spec));
  expect(r.ok).toBe(true);
  if (r.ok) expect({ ...r.spec, locations: {} }).toEqual({ ...spec, locations: {} });
});

describe("paths stay in the vault", () => {
  test.each([
    ["proto: ../secrets/api.proto", "proto", /`proto:` "..\/secrets\/api.proto" climbs out of its folder/],
    ["proto: /etc/passwd", "proto", /`proto:` "\/etc\/passwd" is an absolute path/],
    ["proto: 'C:\\Windows\\x.proto'", "proto", /is an absolute path/],
    ["proto: ~/x.proto", "proto", /is an absolute path/],
    ["import-paths: [protos, ../../..]", "import-paths", /`import-paths:` "..\/..\/.." climbs out/],
    ["tls: {ca: ../ca.pem}", "tls", /`tls:` "..\/ca.pem" climbs out/],
    ["tls: {cert: /root/c.pem, key: k.pem}", "tls", /`tls:` "\/root\/c.pem" is an absolute path/],
  ])("%s is refused", (line, key, message) => {
    const r = parseBlock(`method: a.B/C\n${line}\n`, { firstLine: 10 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(message);
    expect(r.error.message).toMatch(/outside the vault\.$/);
    expect(r.error.hint).toMatch(/vault paths/);
    expect(r.error.location?.line).toBe(key === "proto" || key === "import-paths" || key === "tls" ? 11 : 10);
  });

  test("frontmatter defaults are checked too", () => {
    const r = parseBlock("method: a.B/C\n", { defaults: { proto: "../../x.proto" } });
    expect(r.ok).toBe(false);
  });

  test.each(["protos/api.proto", "a/b/../b/c.proto".replace("../b/", ""), "./x.proto", "dir.with..dots/x.proto"])("%s is a vault path", (p) => {
    expect(parseBlock(`method: a.B/C\nproto: ${p}\n`).ok).toBe(true);
  });
});
