// Stands in for esbuild's "sidecar:bundle" virtual module: the sidecar built by `npm run build`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../src/sidecar/sidecarFile";

/** The built sidecar program. */
export const SIDECAR_SOURCE = readFileSync(join(__dirname, "../../dist/sidecar.cjs"), "utf8");
/** Its hash. */
export const SIDECAR_HASH = sha256(SIDECAR_SOURCE);
