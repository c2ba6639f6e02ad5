import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "../workbook/catalog.js";

/**
 * The learner's loop as a learner waits for it: the wall time of `workbook test 1.2
 * --solutions`, and the start-up overhead, which is that wall time minus the duration vitest
 * itself reports for the run (Node start-ups, loading vitest and the CLI). Medians of five.
 */
export function learnerLoopRows(
  format: (value: number, unit: string, digits?: number) => string,
): Array<[string, string]> {
  const runs = Array.from({ length: 5 }, () => timeTest(["test", "1.2", "--solutions"]));
  const wall = median(runs.map((run) => run.wallMs));
  const overhead = median(runs.map((run) => run.wallMs - run.vitestMs));
  return [
    [
      "learner loop: node harness/start.mjs … test 1.2 --solutions (wall)",
      format(wall / 1000, "s"),
    ],
    ["  start-up overhead (wall minus vitest's own duration)", format(overhead / 1000, "s")],
  ];
}

function timeTest(args: string[]): { wallMs: number; vitestMs: number } {
  const scratch = mkdtempSync(join(tmpdir(), "workbook-bench-"));
  const timing = join(scratch, "timing.json");
  const started = performance.now();
  spawnSync(process.execPath, ["harness/start.mjs", "harness/cli/main.ts", ...args], {
    cwd: repositoryRoot,
    stdio: "ignore",
    env: { ...process.env, WORKBOOK_TIMING_OUT: timing },
  });
  const wallMs = performance.now() - started;
  let vitestMs = 0;
  try {
    vitestMs = (JSON.parse(readFileSync(timing, "utf8")) as { durationMs: number }).durationMs;
  } catch {
    // No timing written: the run failed before vitest reported; count it all as overhead.
  }
  rmSync(scratch, { recursive: true, force: true });
  return { wallMs, vitestMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
