/** Any JSON value: what details and messages are carried as. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
