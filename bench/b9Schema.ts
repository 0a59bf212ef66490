/**
 * B9: loading a large real import graph, google/ads/googleads/v24/services/google_ads_service.proto
 * from googleapis (654 files), with our parser and linker against Debian's protoc on the same
 * files in the same run. Cold: a fresh process that has never parsed a file (its time from the
 * start of loading to a registry, node's own start left out); protoc's whole run beside it.
 * Cached: the same method resolved again through the schema cache, as a second run does.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SchemaCache } from "../src/schema/SchemaCache";
import { protoSource } from "../src/schema/protoSource";
import { fmt, record, stats } from "./report";
import { now, ROOT } from "./harness";

const CORPUS = join(ROOT, "node_modules/google-proto-files");
const FILE = "google/ads/googleads/v24/services/google_ads_service.proto";
const METHOD = "google.ads.googleads.v24.services.GoogleAdsService/Search";

/** The script a fresh process runs: load the graph once, print the milliseconds it took and the file count. */
const COLD_SCRIPT = join(ROOT, "bench/.out/schemaCold.cjs");

export async function b9(): Promise<void> {
  const protoc: number[] = [];
  const cold: number[] = [];
  let files = 0;
  // Alternate, each going first half the time.
  for (let i = 0; i < 10; i++) {
    const runProtoc = (): void => {
      const t0 = now();
      const r = spawnSync("protoc", [`-I${CORPUS}`, "--include_imports", "--descriptor_set_out=/dev/null", FILE]);
      if (r.status !== 0) throw new Error(`protoc failed: ${r.stderr.toString()}`);
      protoc.push(now() - t0);
    };
    const runOurs = (): void => {
      const out = execFileSync(process.execPath, [COLD_SCRIPT, CORPUS, FILE], { encoding: "utf8" });
      const [ms, count] = out.trim().split(" ").map(Number);
      cold.push(ms ?? NaN);
      files = count ?? 0;
    };
    if (i % 2 === 0) {
      runProtoc();
      runOurs();
    } else {
      runOurs();
      runProtoc();
    }
  }
  const ratio = stats(cold).median / stats(protoc).median;
  record({ id: "B9", what: `cold load of ${FILE.split("/").pop() ?? FILE} (${files} files) vs protoc`, value: `${fmt(cold)} vs protoc ${fmt(protoc)} = ${ratio.toFixed(2)}×`, budget: "≤ 2× protoc", pass: ratio <= 2 });

  const cache = new SchemaCache();
  const source = protoSource(FILE, [""], (p) => readFile(join(CORPUS, p)));
  const signal = new AbortController().signal;
  await cache.resolve(source, METHOD, signal);
  const cached: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = now();
    await cache.resolve(source, METHOD, signal);
    cached.push(now() - t0);
  }
  record({ id: "B9", what: "the same method resolved again (cached)", value: fmt(cached, "ms", 3), budget: "≤ 20 ms", pass: stats(cached).median <= 20 });
}
