import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "../workbook/catalog.js";

/**
 * `npx tsx harness/bench/run-fingerprints.ts [seeds]`: one line per test of the reference
 * solutions' suites, with how many events its simulations recorded and a hash of all of them
 * (every send, delivery, drop, timer, fault and note, in order, with its step, time, nodes and
 * message). Where trace-fingerprints.ts hashes each exercise's scenario, this hashes every run
 * every test makes, the seed runner's second run of its first seed included. Run it before and
 * after a change to the simulator and diff the output: a change that is meant to be invisible
 * must leave every line the same. With a seed count, every `forEachSeed` runs that many seeds.
 */
const seeds = process.argv[2];
const scratch = mkdtempSync(join(tmpdir(), "run-fingerprints-"));
const out = join(scratch, "fingerprints.jsonl");
try {
  const vitest = join(repositoryRoot, "node_modules", "vitest", "vitest.mjs");
  const result = spawnSync(
    process.execPath,
    [vitest, "run", "--config", "harness/bench/run-fingerprints.config.ts", "--reporter=dot"],
    {
      cwd: repositoryRoot,
      encoding: "utf8",
      env: {
        ...process.env,
        WORKBOOK_FINGERPRINT_OUT: out,
        ...(seeds === undefined ? {} : { WORKBOOK_SEEDS: seeds }),
      },
    },
  );
  if (result.status !== 0) process.stderr.write(result.stdout + result.stderr);
  const lines = readFileSync(out, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map(
      (line) => JSON.parse(line) as { test: string; state: string; events: number; hash: string },
    )
    .sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
  let events = 0;
  for (const line of lines) {
    events += line.events;
    process.stdout.write(`${line.test}: ${line.state} ${line.events} events ${line.hash}\n`);
  }
  process.stderr.write(`${lines.length} tests, ${events.toLocaleString("en")} events\n`);
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
