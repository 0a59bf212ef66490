/**
 * The benchmark suite (issue 5). Each figure is measured several times; the table reports the
 * median and the spread, and ratios against a baseline measured in the same run.
 * Run with `npm run bench`; `npm run bench -- --check` exits 1 when a budget is missed.
 */
import "./dom";
import { b1 } from "./b1ColdRun";
import { b2 } from "./b2WarmUnary";
import { b3 } from "./b3Flood";
import { b3Chromium } from "./b3FloodChromium";
import { b4 } from "./b4Memory";
import { b5 } from "./b5PluginLoad";
import { b6 } from "./b6Bidi";
import { b7 } from "./b7Httpyac";
import { b8 } from "./b8IdleMemory";
import { b9 } from "./b9Schema";
import { b10 } from "./b10Connect";
import { notes, record, rows, writeReport } from "./report";

const CHECK = process.argv.includes("--check");

async function main(): Promise<void> {
  const only = process.argv.find((a) => /^B\d$/.test(a));
  const suites: Array<[string, () => Promise<void>]> = [
    ["B1", b1],
    ["B2", b2],
    ["B3", async () => {
      await b3();
      await b3Chromium();
    }],
    ["B4", b4],
    ["B5", b5],
    ["B6", b6],
    ["B7", b7],
    ["B8", b8],
    ["B9", b9],
    ["B10", b10],
  ];
  for (const [id, fn] of suites) {
    if (only !== undefined && only !== id) continue;
    try {
      await fn();
    } catch (e) {
      record({ id, what: "the benchmark itself failed", value: e instanceof Error ? e.message : String(e), budget: "", pass: false });
    }
  }
  for (const n of notes) console.log(`- ${n}`);
  if (only === undefined) writeReport();
  const missed = rows.filter((r) => r.pass === false);
  if (CHECK && missed.length > 0) {
    console.error(`${missed.length} budget(s) missed.`);
    process.exitCode = 1;
  }
}

void main().then(() => setTimeout(() => process.exit(), 100));
