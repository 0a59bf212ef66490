import { create } from "@bufbuild/protobuf";
import { MethodDescriptorProtoSchema, MethodOptionsSchema, ServiceDescriptorProtoSchema, ServiceOptionsSchema, type MethodDescriptorProto, type ServiceDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { ParseContext } from "./ParseContext";

/** `service Name { rpc … }`: its methods, streaming flags and options; type names wait for the linker. */
export function parseService(ctx: ParseContext, scope: string): ServiceDescriptorProto {
const { cursor, setOption, note, addRef } = ctx;
const { peek, next, is, expect, ident, fullIdent, optionStatement } = cursor;
  const first = expect("service");
  const name = ident("a service name");
  const svc = create(ServiceDescriptorProtoSchema, { name: name.text });
  const full = scope === "" ? name.text : `${scope}.${name.text}`;
  note(svc, first, expect("{"));
  while (!is("}")) {
    if (is(";")) next();
    else if (is("option")) setOption(svc, ServiceOptionsSchema, full, optionStatement());
    else {
      const rpc = expect("rpc");
      const m: MethodDescriptorProto = create(MethodDescriptorProtoSchema, { name: ident("a method name").text });
      expect("(");
      if (is("stream") && (peek(1).kind === "ident" || is(".", 1))) {
        next();
        m.clientStreaming = true;
      }
      const input = fullIdent("a request type");
      expect(")");
      expect("returns");
      expect("(");
      if (is("stream") && (peek(1).kind === "ident" || is(".", 1))) {
        next();
        m.serverStreaming = true;
      }
      const output = fullIdent("a response type");
      expect(")");
      addRef(input, scope, false, (full) => (m.inputType = `.${full}`));
      addRef(output, scope, false, (full) => (m.outputType = `.${full}`));
      if (is("{")) {
        next();
        // protoc gives a method with a body options, even an empty one.
        m.options ??= create(MethodOptionsSchema);
        while (!is("}")) {
          if (is(";")) next();
          else setOption(m, MethodOptionsSchema, full, optionStatement());
        }
        expect("}");
      } else {
        expect(";");
      }
      note(m, rpc, peek(-1));
      svc.method.push(m);
    }
  }
  expect("}");
  return svc;
}
