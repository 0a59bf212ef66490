/** The bundled sidecar program's text, embedded compressed at build time by esbuild.config.mjs and unpacked on first call. */
export declare const SIDECAR_SOURCE: () => string;
/** Hex SHA-256 of SIDECAR_SOURCE. */
export declare const SIDECAR_HASH: string;
