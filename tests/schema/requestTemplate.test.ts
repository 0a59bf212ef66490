// "Insert call" templates: nested messages filled, one element in repeated fields and maps, a
// oneof's first member with a comment naming the others, well-known types in their JSON form,
// and recursion cut where a type recurs. The block YAML reads back into a request that protobuf-es
// accepts for the message.
import { fromJson } from "@bufbuild/protobuf";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { createCallSpec } from "../../src/core/spec/CallSpec";
import { specToYaml } from "../../src/core/spec/specToYaml";
import { templateJson } from "../../src/core/spec/TemplateNode";
import { protoRegistry } from "../../src/schema/protoRegistry";
import { requestTemplate, requestTemplateNode } from "../../src/schema/requestTemplate";

const PROTO = `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
enum Size { SIZE_UNSPECIFIED = 0; SMALL = 1; }
message Money { string currency = 1; int64 units = 2; }
message Item { string sku = 1; Money price = 2; repeated string tags = 3; }
message Tree { string name = 1; repeated Tree children = 2; }
message Order {
  string id = 1;
  repeated Item items = 2;
  map<string, Money> totals = 3;
  oneof payment { Money cash = 4; string card_token = 5; bool invoice = 6; }
  Size size = 7;
  google.protobuf.Timestamp placed_at = 8;
  google.protobuf.Duration ttl = 9;
  google.protobuf.Struct extra = 10;
  google.protobuf.Int32Value limit = 11;
  optional string note = 12;
  Tree tree = 13;
  map<int32, Size> sizes = 14;
}`;

test("a template fills nested messages, lists, maps and the first member of a oneof", async () => {
  const registry = await protoRegistry("shop.proto", [], () => Promise.resolve(new TextEncoder().encode(PROTO)));
  const order = registry.getMessage("shop.v1.Order");
  if (order === undefined) throw new Error("no Order");
  expect(requestTemplate(order)).toEqual({
    id: "",
    items: [{ sku: "", price: { currency: "", units: 0 }, tags: [""] }],
    totals: { key: { currency: "", units: 0 } },
    cash: { currency: "", units: 0 },
    size: "SIZE_UNSPECIFIED",
    placedAt: "1970-01-01T00:00:00Z",
    ttl: "0s",
    extra: {},
    limit: 0,
    tree: { name: "", children: [{}] },
    sizes: { "0": "SIZE_UNSPECIFIED" },
  });
  // protobuf-es accepts the template for the message as it is.
  expect(() => fromJson(order, requestTemplate(order))).not.toThrow();

  const spec = createCallSpec("shop.v1.Shop/Place", { target: "127.0.0.1:1" });
  const yaml = specToYaml(spec, { template: requestTemplateNode(order) });
  expect(yaml).toContain(["request:", '  id: ""', "  items:", '    - sku: ""', "      price:", '        currency: ""', "        units: 0", "      tags:", '        - ""'].join("\n"));
  expect(yaml).toContain(["  # oneof payment: or one of cardToken, invoice", "  cash:", '    currency: ""'].join("\n"));
  // A proto3 optional field is there to uncomment: a zero is not the same as unset.
  expect(yaml).toContain('\n  # note: ""\n');
  const back = parseBlock(`${yaml}\n`);
  expect(back.ok && templateJson(requestTemplateNode(order))).toEqual(back.ok ? back.spec.requests[0] : "no");

  // A client-streaming call gets a list of one such request.
  const many = specToYaml(spec, { template: requestTemplateNode(order), manyRequests: true });
  expect(many).toContain(['requests:', '  - id: ""', "    items:", '      - sku: ""'].join("\n"));
  const manyBack = parseBlock(`${many}\n`);
  expect(manyBack.ok ? manyBack.spec.requests : []).toEqual([requestTemplate(order)]);
});
