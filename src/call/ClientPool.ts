import { Client, credentials, type ChannelCredentials } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";

/** Channel options every client gets. */
export interface ClientOptions {
  maxReceiveMessageBytes: number;
  maxSendMessageBytes: number;
}

/** The limits a pool uses unless told otherwise: grpc-js's own 4 MiB each way. */
export const DEFAULT_CLIENT_OPTIONS: ClientOptions = Object.freeze({ maxReceiveMessageBytes: 4 * 1024 * 1024, maxSendMessageBytes: 4 * 1024 * 1024 });

/**
 * The grpc-js channel options of every pooled client. Retries are off: the plugin shows
 * each call as it happened, and grpc-js's retry layer would buffer every message of a call.
 */
export function channelOptionsOf(opts: ClientOptions): Record<string, number> {
  return {
    "grpc.max_receive_message_length": opts.maxReceiveMessageBytes,
    "grpc.max_send_message_length": opts.maxSendMessageBytes,
    "grpc.enable_retries": 0,
  };
}

/** Keeps one grpc-js client per target and credentials, and closes them all at once. */
export class ClientPool {
  private readonly clients = new Map<string, Client>();
  private readonly opts: ClientOptions;
  private closed = false;

  constructor(options: Partial<ClientOptions> = {}) {
    this.opts = { ...DEFAULT_CLIENT_OPTIONS, ...options };
  }

  /** The client for `target`; `key` tells apart different credentials for one target. */
  get(target: string, creds: ChannelCredentials = credentials.createInsecure(), key = "insecure", channelOptions: Record<string, string | number> = {}): Client {
    if (this.closed) throw new CallError(Code.UNAVAILABLE, "The plugin is shutting down; no new calls start.");
    const id = `${target}\u0000${key}`;
    let client = this.clients.get(id);
    if (client === undefined) {
      client = new Client(target, creds, { ...channelOptionsOf(this.opts), ...channelOptions });
      this.clients.set(id, client);
    }
    return client;
  }

  /** Closes and forgets the clients of one target. */
  drop(target: string): void {
    for (const [id, client] of this.clients) {
      if (id.startsWith(`${target}\u0000`)) {
        client.close();
        this.clients.delete(id);
      }
    }
  }

  /** Closes every client; the pool makes no new ones after this. */
  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
