import { fileRegistryOf } from "../schema/fileRegistryOf";
import { Server, ServerCredentials, ServerInterceptingCall, status, type ServerInterceptor } from "@grpc/grpc-js";
import { Health } from "../gen/grpc/health/v1/health_pb";
import { ServerReflection } from "../gen/grpc/reflection/v1/reflection_pb";
import { PatternService } from "../gen/grpccallouts/demo/v1/patterns_pb";
import { TOKEN_HEADER } from "./handshake";
import { SIDECAR_FILES } from "./sidecarFiles";
import { methodDefinition, serviceDefinition } from "../call/methodDefinition";
import { demoService, type Log } from "./demoService";
import { healthService } from "./healthService";
import { reflectionService } from "./reflectionService";
import { startWebGateway } from "./webGateway";


/** A running sidecar server. */
export interface SidecarServer {
  port: number;
  /** gRPC-Web and Connect (HTTP/1.1 and h2c) in front of the same services, behind the same token. */
  webPort: number;
  /** Stops at once, cancelling running calls. */
  stop(): Promise<void>;
}

/** Options of startServer. */
export interface StartServerOptions {
  /** Calls without this token in TOKEN_HEADER get UNAUTHENTICATED; null accepts all. */
  token: string | null;
  /** Address to bind; the sidecar only ever uses loopback. */
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  log: Log;
}

const defaults: StartServerOptions = Object.freeze({ token: null, host: "127.0.0.1", port: 0, log: () => undefined });


/**
 * Starts the sidecar's gRPC server: the demo PatternService, grpc.health.v1
 * and server reflection (v1 and v1alpha), on loopback, behind a token.
 */
export async function startServer(options: Partial<StartServerOptions> = {}): Promise<SidecarServer> {
  const opts = { ...defaults, ...options };
  const interceptors: ServerInterceptor[] = opts.token === null ? [] : [tokenInterceptor(opts.token)];
  const server = new Server({ interceptors, "grpc.max_receive_message_length": 16 * 1024 * 1024 });
  const reflectionV1 = ServerReflection;
  const services = [
    PatternService.typeName,
    Health.typeName,
    reflectionV1.typeName,
    "grpc.reflection.v1alpha.ServerReflection",
  ];
  server.addService(serviceDefinition(PatternService), demoService(opts.log));
  server.addService(serviceDefinition(Health), healthService(services));
  const reflection = reflectionService(() => fileRegistryOf(...SIDECAR_FILES), services);
  server.addService(serviceDefinition(reflectionV1), reflection);
  // v1alpha shares v1's wire format: same codec, another path.
  const info = reflectionV1.method.serverReflectionInfo;
  server.addService(
    { ServerReflectionInfo: { ...methodDefinition(info), path: "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo" } },
    reflection,
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${opts.host}:${opts.port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const web = await startWebGateway(port, [PatternService, Health, ServerReflection]);
  return {
    port,
    webPort: web.port,
    stop: () =>
      new Promise<void>((resolve) => {
        web.stop();
        server.forceShutdown();
        resolve();
      }),
  };
}

function tokenInterceptor(token: string): ServerInterceptor {
  return (_method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, mdNext) => {
            if (metadata.get(TOKEN_HEADER)[0] === token) {
              mdNext(metadata);
            } else {
              call.sendStatus({
                code: status.UNAUTHENTICATED,
                details: "The sidecar only answers the plugin that started it: missing or wrong token",
              });
            }
          },
        });
      },
    });
}
