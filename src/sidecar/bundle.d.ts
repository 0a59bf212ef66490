/** The bundled sidecar program, embedded at build time by esbuild.config.mjs. */
export declare const SIDECAR_SOURCE: string;
/** Hex SHA-256 of SIDECAR_SOURCE. */
export declare const SIDECAR_HASH: string;
