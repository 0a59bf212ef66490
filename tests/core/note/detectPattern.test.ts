import { detectPattern } from "../../../src/core/note/detectPattern";
import { linkText } from "../../../src/core/note/linkText";

describe("detectPattern", () => {
  test.each([
    // The four titles of the user's note, wikilinks and all.
    ["Simple [[Remote Procedure Call|RPC]]", "unary"],
    ["Server-Streaming [[Remote Procedure Call|RPC]]", "server_streaming"],
    ["Client-Streaming [[Remote Procedure Call|RPC]]", "client_streaming"],
    ["Bidirectional Streaming [[Remote Procedure Call|RPC]]", "bidi_streaming"],
    // Tolerated spellings.
    ["Simple RPC", "unary"],
    ["Unary RPC", "unary"],
    ["unary", "unary"],
    ["Server-Streaming RPC", "server_streaming"],
    ["server streaming", "server_streaming"],
    ["Server side streaming", "server_streaming"],
    ["SERVER_STREAMING", "server_streaming"],
    ["Client-Streaming", "client_streaming"],
    ["client streaming rpc", "client_streaming"],
    ["Bidirectional Streaming RPC", "bidi_streaming"],
    ["bidi-streaming", "bidi_streaming"],
    ["Bidi", "bidi_streaming"],
    ["Bi-directional streaming", "bidi_streaming"],
    ["**Unary** [RPC](https://grpc.io)", "unary"],
    ["[[Unary RPC]]", "unary"],
    // Not patterns.
    ["Simple", null],
    ["Remote Procedure Call", null],
    ["Streaming in general", null],
    ["Notes on servers", null],
    ["", null],
  ])("%j → %s", (title, expected) => {
    expect(detectPattern(title)).toBe(expected);
  });
});

describe("linkText", () => {
  test.each([
    ["Simple [[Remote Procedure Call|RPC]]", "Simple RPC"],
    ["[[Note]]", "Note"],
    ["[[Folder/Note.md]]", "Folder/Note"],
    ["[[Note#Heading]]", "Note > Heading"],
    ["[text](http://x)", "text"],
    ["**bold** and `code`", "bold and code"],
  ])("%j → %j", (md, text) => {
    expect(linkText(md)).toBe(text);
  });
});
