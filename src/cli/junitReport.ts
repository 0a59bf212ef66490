import { codeName } from "../core/errors/Code";
import type { NoteOutcome } from "./runNote";

/**
 * The outcome of a note's runs as JUnit XML, the shape CI systems read: one
 * testsuite for the note, one testcase per call named after its `name:`
 * (or its line). A call whose expectations failed has a `<failure>` listing
 * each with its expected and actual values; a call that did not end in OK
 * (and expected nothing else) has an `<error>` with its status.
 */
export function junitReport(notePath: string, outcome: NoteOutcome): string {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  let failures = 0;
  let errors = 0;
  const cases = outcome.results.map((r) => {
    const name = r.name ?? `line ${r.line}`;
    const open = `    <testcase name="${xml(name)}" classname="${xml(notePath)}" time="${seconds(r.durationMs)}">`;
    if (r.passed) return `${open}</testcase>`;
    const failed = r.expectations.filter((e) => !e.pass);
    if (failed.length > 0) {
      failures++;
      const text = failed.map((e) => `${e.what}: expected ${e.expected}, actual ${e.actual}`).join("\n");
      return `${open}\n      <failure type="expectation" message="${xml(`${failed.length} of ${r.expectations.length} expectations failed`)}">${xml(text)}</failure>\n    </testcase>`;
    }
    errors++;
    const status = `${codeName(r.code)}${r.message === "" ? "" : `: ${r.message}`}`;
    return `${open}\n      <error type="${codeName(r.code)}" message="${xml(status)}">${xml(`${r.label}\n${status}`)}</error>\n    </testcase>`;
  });
  const skipped = outcome.total - outcome.results.length;
  const time = seconds(outcome.results.reduce((t, r) => t + r.durationMs, 0));
  const counts = `tests="${outcome.total}" failures="${failures}" errors="${errors + (outcome.error === undefined ? 0 : 1)}" skipped="${skipped}" time="${time}"`;
  const suiteError = outcome.error === undefined ? [] : [`    <testcase name="the note" classname="${xml(notePath)}" time="0">\n      <error type="${codeName(outcome.error.code)}" message="${xml(outcome.error.message)}"/>\n    </testcase>`];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="grpc-callouts" ${counts}>`,
    `  <testsuite name="${xml(notePath)}" ${counts}>`,
    ...suiteError,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/** Text as XML character data or an attribute value; characters XML 1.0 cannot hold are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
