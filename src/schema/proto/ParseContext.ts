import type { DescMessage, Message } from "@bufbuild/protobuf";
import type { TokenCursor } from "./TokenCursor";
import type { Token } from "./tokenize";
import type { TypeReference } from "./parseProto";
import type { WrittenOption } from "./WrittenOption";

/** What the parts of the .proto parser share: the cursor, and how options, comments and type names are recorded. */
export interface ParseContext {
  cursor: TokenCursor;
  /** Sets a written option in `holder.options` now, or, when it names an extension, once linked. */
  setOption: <T extends Message>(holder: { options?: T }, schema: DescMessage, scope: string, option: WrittenOption) => void;
  /** Keeps the comments around an element, for the file's source code info. */
  note: (element: object, first: Token, last?: Token) => void;
  /** Records a type name to resolve once every file is parsed. */
  addRef: (ref: { text: string; at: Token }, scope: string, allowEnum: boolean, resolve: TypeReference["resolve"]) => void;
  /** Whether the file is proto3 (known once its syntax line is read). */
  isProto3: () => boolean;
}
