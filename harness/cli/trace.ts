import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { repositoryRoot } from "../workbook/catalog.js";
import { backUp } from "./files.js";
import { writeTraceHtml } from "./trace-html.js";
import { traceToMermaid, type DiagramOptions } from "../simulation/trace-diagram.js";
import { formatTrace, wholeTraceEventsMax, type TraceDocument } from "../simulation/trace.js";
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
  /** Which part of the run to draw (`--from`, `--to`, `--events`). */
  window?: DiagramOptions;
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
  // With --html the JSON is only a step on the way to the page, and stays out of sight; the
  // page's own --out is checked where it is written.
  const outPath =
    options.html === true
      ? join(mkdtempSync(join(tmpdir(), "workbook-trace-")), "run.trace.json")
      : resolve(
          process.env["INIT_CWD"] ?? process.cwd(),
          options.out ?? `${exercise.id}.seed-${options.seed}.trace.json`,
        );
  if (options.html !== true) refuseOut(outPath);
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
  // The page carries the whole trace; the JSON it was made from was only a step on the way.
  if (options.html === true) rmSync(dirname(outPath), { recursive: true, force: true });
  for (const run of document.runs) {
    if (options.text)
      process.stdout.write(`# ${run.name}, seed ${run.seed}\n${formatTrace(run.events)}\n`);
    if (options.diagram)
      process.stdout.write(
        `\n\`\`\`mermaid\n${traceToMermaid(run.events, options.window)}\n\`\`\`\n`,
      );
  }
  const events = document.runs.reduce((total, run) => total + run.events.length, 0);
  // A run longer than the whole-trace limit keeps its most recent events; say so.
  const discarded = document.runs.reduce((total, run) => total + (run.discarded ?? 0), 0);
  const cut =
    discarded === 0
      ? ""
      : `(the run was longer than ${wholeTraceEventsMax.toLocaleString("en")} events: its first ${discarded.toLocaleString("en")} are not kept)\n`;
  const outcome = result.outcomes.find((candidate) => candidate.state === "failed");
  if (options.html === true) {
    const page = await writeTraceHtml(exercise, options, document, outcome?.errors[0]);
    const verdict = outcome === undefined ? style.green("passed") : style.red("failed");
    process.stderr.write(
      `${style.bold(`Exercise ${exercise.number}`)}, seed ${options.seed}: "${testName}" ${verdict}; ${events} events drawn in\n${cut}`,
    );
    process.stdout.write(`${page}\n`);
    return 0;
  }
  const verdict =
    outcome === undefined ? style.green(`"${testName}" passed`) : style.red(`"${testName}" failed`);
  process.stderr.write(
    `${style.bold(`Exercise ${exercise.number}`)}, seed ${options.seed}: ${verdict}; wrote ${events} events to ${outPath}\n` +
      cut +
      (backup === undefined ? "" : `(the file that was there is kept as ${backup})\n`) +
      (options.text || options.diagram
        ? ""
        : style.dim("Add --text to print the events here, or --diagram to draw them.\n")),
  );
  if (outcome !== undefined) process.stderr.write(`\n${outcome.errors[0] ?? ""}\n`);
  return 0;
}

/** Extensions of files a learner writes by hand: a trace is never written over one. */
const sourceExtensions = /\.(?:[cm]?[jt]sx?|md|json5?|ya?ml|html?|css)$/i;

/**
 * A trace is a generated file: it may not land among the workbook's own files, nor on a file
 * whose name says it is source (a typo such as `--out chapters/01-clocks/causal-broadcast.ts`).
 */
function refuseOut(path: string): void {
  const inside = relative(repositoryRoot, path).split("\\").join("/");
  const folder = ["chapters/", "solutions/", "harness/"].find((prefix) =>
    inside.startsWith(prefix),
  );
  if (folder !== undefined)
    throw new UsageError(
      `--out ${inside} is inside ${folder}, among the workbook's own files: write the trace elsewhere, such as --out traces/run.trace.json.`,
    );
  if (sourceExtensions.test(path) && !path.endsWith(".trace.json") && !path.endsWith(".json"))
    throw new UsageError(
      `--out ${path} names a source file: a trace is JSON, so give a name ending in .trace.json.`,
    );
}

/**
 * A previous trace can be overwritten: the same seed writes it again. Any other file at that
 * path might be the learner's own work, so a copy is kept in .workbook/backups/ first.
 */
function backUpIfForeign(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const existing = JSON.parse(readFileSync(path, "utf8")) as { runs?: unknown; seed?: unknown };
    if (Array.isArray(existing.runs) && typeof existing.seed === "number") return undefined;
  } catch {
    // Not JSON: certainly not one of our traces.
  }
  return backUp(path);
}
