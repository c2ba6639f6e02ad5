import { existsSync, readFileSync, renameSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeTraceHtml } from "./trace-html.js";
import { traceToMermaid } from "../simulation/trace-diagram.js";
import { formatTrace, type TraceDocument } from "../simulation/trace.js";
import type { Exercise } from "../workbook/catalog.js";
import { runVitest } from "../workbook/run-vitest.js";
import { UsageError, testFileOf } from "./selection.js";
import { escapeRegExp } from "../workbook/escape-regexp.js";
import { style } from "./style.js";

export interface TraceOptions {
  seed: number;
  solutions: boolean;
  out?: string;
  text: boolean;
  /** Also print the run as a mermaid sequence diagram. */
  diagram: boolean;
  /** The test to record; the exercise's scenario test when not given. */
  test?: string;
  /** Write the run as an interactive space-time page instead of JSON (`--out` names the page). */
  html?: boolean;
}

/**
 * `workbook trace`: records every event of one run of an exercise's main scenario. The test
 * runs as usual with that one seed; the seed runner writes the trace of the simulations it
 * created (see harness/testing/seeds.ts), so the file shows exactly the run a test failure
 * described.
 */
export async function trace(exercise: Exercise, options: TraceOptions): Promise<number> {
  const testName = options.test ?? exercise.scenario;
  if (testName === undefined) {
    throw new UsageError(
      `Exercise ${exercise.number} (${exercise.id}) tests plain functions, not a simulated network, so it has no trace.`,
    );
  }
  // With --html the JSON is only a step on the way to the page, and stays out of sight.
  const outPath =
    options.html === true
      ? join(mkdtempSync(join(tmpdir(), "workbook-trace-")), "run.trace.json")
      : resolve(
          process.env["INIT_CWD"] ?? process.cwd(),
          options.out ?? `${exercise.id}.seed-${options.seed}.trace.json`,
        );
  const backup = backUpIfForeign(outPath);
  const result = await runVitest({
    projects: [options.solutions ? "solutions" : "chapters"],
    files: [testFileOf(exercise)],
    testNamePattern: `${escapeRegExp(testName)}$`,
    env: { WORKBOOK_SEED: String(options.seed), WORKBOOK_TRACE_OUT: outPath },
    output: "quiet",
  });
  if (!existsSync(outPath)) {
    process.stderr.write(
      `No trace was written: no test named "${testName}" ran in exercise ${exercise.number}.\n`,
    );
    return 1;
  }
  const document = JSON.parse(readFileSync(outPath, "utf8")) as {
    test: string;
    runs: TraceDocument[];
  };
  for (const run of document.runs) {
    if (options.text)
      process.stdout.write(`# ${run.name}, seed ${run.seed}\n${formatTrace(run.events)}\n`);
    if (options.diagram)
      process.stdout.write(`\n\`\`\`mermaid\n${traceToMermaid(run.events)}\n\`\`\`\n`);
  }
  const events = document.runs.reduce((total, run) => total + run.events.length, 0);
  const outcome = result.outcomes.find((candidate) => candidate.state === "failed");
  if (options.html === true) {
    const page = await writeTraceHtml(exercise, options, document, outcome?.errors[0]);
    const verdict = outcome === undefined ? style.green("passed") : style.red("failed");
    process.stderr.write(
      `${style.bold(`Exercise ${exercise.number}`)}, seed ${options.seed}: "${testName}" ${verdict}; ${events} events drawn in\n`,
    );
    process.stdout.write(`${page}\n`);
    return 0;
  }
  const verdict =
    outcome === undefined ? style.green(`"${testName}" passed`) : style.red(`"${testName}" failed`);
  process.stderr.write(
    `${style.bold(`Exercise ${exercise.number}`)}, seed ${options.seed}: ${verdict}; wrote ${events} events to ${outPath}\n` +
      (backup === undefined ? "" : `(the file that was there is kept as ${backup})\n`) +
      (options.text || options.diagram
        ? ""
        : style.dim("Add --text to print the events here, or --diagram to draw them.\n")),
  );
  if (outcome !== undefined) process.stderr.write(`\n${outcome.errors[0] ?? ""}\n`);
  return 0;
}

/**
 * A previous trace can be overwritten: the same seed writes it again. Any other file at that
 * path might be the learner's own work, so it is kept under a new name first.
 */
function backUpIfForeign(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const existing = JSON.parse(readFileSync(path, "utf8")) as { runs?: unknown; seed?: unknown };
    if (Array.isArray(existing.runs) && typeof existing.seed === "number") return undefined;
  } catch {
    // Not JSON: certainly not one of our traces.
  }
  let backup = `${path}.bak`;
  for (let copy = 2; existsSync(backup); copy++) backup = `${path}.bak${copy}`;
  renameSync(path, backup);
  return backup;
}
