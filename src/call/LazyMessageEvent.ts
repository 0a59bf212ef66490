import { toJson, type DescMessage, type JsonWriteOptions, type Message, type Registry } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import type { JsonValue } from "../core/json/JsonValue";
import type { Direction } from "../core/transcript/CallEvent";

/**
 * A message event whose JSON is made when it is first read: in a flood only
 * the rows that are shown pay for it. A class rather than an object literal
 * with a getter, so that the getter sits once on the prototype and each event
 * is a small object of a fixed shape; the decoded message stays private.
 */
export class LazyMessageEvent {
  readonly type = "message";
  readonly #schema: DescMessage;
  readonly #message: Message;
  readonly #registry: Registry | undefined;
  #json: JsonValue | undefined = undefined;

  constructor(
    readonly at: number,
    readonly direction: Direction,
    readonly index: number,
    schema: DescMessage,
    message: Message,
    registry: Registry | undefined,
    /** The message's size on the wire, in bytes. */
    readonly bytes = 0,
  ) {
    this.#schema = schema;
    this.#message = message;
    this.#registry = registry;
  }

  /** The message as canonical protobuf JSON. */
  get json(): JsonValue {
    this.#json ??= messageJson(this.#schema, this.#message, this.#registry);
    return this.#json;
  }

  /** What `JSON.stringify` writes: the event as plain data, its JSON included (a getter alone would be left out). */
  toJSON(): { type: "message"; at: number; direction: Direction; index: number; json: JsonValue; bytes: number } {
    return { type: this.type, at: this.at, direction: this.direction, index: this.index, json: this.json, bytes: this.bytes };
  }
}

/** A message as canonical JSON; a message that cannot be printed becomes an `@error` value rather than a throw. */
export function messageJson(schema: DescMessage, m: Message, registry: Registry | undefined): JsonValue {
  try {
    const options: Partial<JsonWriteOptions> = registry === undefined ? {} : { registry };
    return toJson(schema, m, options);
  } catch (e) {
    return { "@error": `cannot print ${schema.typeName} as JSON: ${CallError.from(e).message}` };
  }
}
