import { Client, credentials, type ChannelCredentials } from "@grpc/grpc-js";

/** Channel options every client gets. */
export interface ClientOptions {
  maxReceiveMessageBytes: number;
  maxSendMessageBytes: number;
}

const defaults: ClientOptions = Object.freeze({ maxReceiveMessageBytes: 4 * 1024 * 1024, maxSendMessageBytes: 4 * 1024 * 1024 });

/** Keeps one grpc-js client per target and credentials, and closes them all at once. */
export class ClientPool {
  private readonly clients = new Map<string, Client>();
  private readonly opts: ClientOptions;

  constructor(options: Partial<ClientOptions> = {}) {
    this.opts = { ...defaults, ...options };
  }

  /** The client for `target`; `key` tells apart different credentials for one target. */
  get(target: string, creds: ChannelCredentials = credentials.createInsecure(), key = "insecure", channelOptions: Record<string, string | number> = {}): Client {
    const id = `${target}\u0000${key}`;
    let client = this.clients.get(id);
    if (client === undefined) {
      client = new Client(target, creds, {
        "grpc.max_receive_message_length": this.opts.maxReceiveMessageBytes,
        "grpc.max_send_message_length": this.opts.maxSendMessageBytes,
        "grpc.enable_retries": 0,
        ...channelOptions,
      });
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

  /** Closes every client. */
  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
