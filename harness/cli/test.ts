import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import type { Chapter, Exercise } from "../workbook/catalog.js";
import { repositoryRoot } from "../workbook/catalog.js";
import { escapeRegExp } from "../workbook/escape-regexp.js";
import { outcomesOf } from "../workbook/results-reporter.js";
import { runVitest } from "../workbook/run-vitest.js";
import { failureReport, summaryLine, verdictsOf } from "./report.js";
import { progressOf } from "./progress.js";
import { rememberResults, resultKeys, wholeRun } from "./remembered-results.js";
import { rerunAlone } from "./rerun.js";
import { UsageError, testFileOf, type Selection } from "./selection.js";
import { style } from "./style.js";
import { typeErrorsOf } from "./type-errors.js";

export interface TestOptions {
  solutions: boolean;
  seed?: number;
  seeds?: number;
  test?: string;
  watch: boolean;
  /** vitest's full report as well as the workbook's short one. */
  verbose?: boolean;
}

/** More seeds than this is not a sweep but a mistake (and would take hours). */
export const seedsMax = 100_000;

/**
 * How long a run may go without a test or seed starting or ending before the watchdog stops it:
 * far above the second or so a whole exercise needs, well under the minute a learner would wait.
 */
export const watchdogMsPerExercise = Number(process.env["WORKBOOK_WATCHDOG_MS"] ?? 30_000);

/** `workbook test`: runs the selected exercises' tests against the learner's code or the solutions. */
export async function test(
  _catalog: Chapter[],
  selection: Selection,
  options: TestOptions,
): Promise<number> {
  if (options.seeds !== undefined && options.seeds > seedsMax)
    throw new UsageError(
      `--seeds ${options.seeds} is more than the ${seedsMax.toLocaleString("en")} seeds a sweep may run; ` +
        `1,000 finds almost every rare bug.`,
    );
  const project = options.solutions ? "solutions" : "chapters";
  const missing = missingFiles(selection.exercises, options.solutions);
  if (missing.length > 0) {
    process.stdout.write(`${missing.join("\n")}\n`);
    return 1;
  }
  const env: Record<string, string> = {};
  if (options.seed !== undefined) env["WORKBOOK_SEED"] = String(options.seed);
  if (options.seeds !== undefined) env["WORKBOOK_SEEDS"] = String(options.seeds);
  const seeds =
    options.seed !== undefined
      ? `, seed ${options.seed}`
      : options.seeds !== undefined
        ? `, ${options.seeds} seeds`
        : "";
  const against = options.solutions ? "the reference solutions" : "your code";
  process.stdout.write(style.dim(`Testing ${selection.label} against ${against}${seeds}.\n`));
  // Type errors are found while the tests run: both are needed, and neither waits for the other.
  // WORKBOOK_TYPE_CHECK=off skips it: two seconds of CPU a run, on a slow machine or in tests
  // that are about something else.
  const typeErrors =
    options.solutions || process.env["WORKBOOK_TYPE_CHECK"] === "off"
      ? Promise.resolve([])
      : typeErrorsOf(selection.exercises);
  const reporter = new WorkbookReporter(selection.exercises, project, options.watch);
  // A whole run of the learner's code is what `status` shows: it is remembered for it, under
  // the keys of the files as they were when the run started.
  const remember =
    !options.solutions &&
    !options.watch &&
    options.seed === undefined &&
    options.seeds === undefined &&
    options.test === undefined;
  const keys = remember ? resultKeys(selection.exercises) : undefined;
  const sweeping = options.seeds !== undefined;
  const result = await runVitest({
    projects: [project],
    files: selection.exercises.map(testFileOf),
    ...(options.test === undefined ? {} : { testNamePattern: escapeRegExp(options.test) }),
    env,
    output: options.verbose === true ? "verbose" : "reporter",
    reporter,
    watch: options.watch,
    // A sweep is slow on purpose: each test then has a per-seed budget instead.
    ...(sweeping ? {} : { timeoutMs: watchdogMsPerExercise }),
  });
  const lines: string[] = [];
  if (keys !== undefined && wholeRun(result))
    rememberResults(progressOf(selection.exercises, result.outcomes, project), keys);
  const verdicts = verdictsOf(selection.exercises, result, project);
  const failing = verdicts.find((verdict) => !verdict.passed);
  if (result.timedOut) {
    const running = result.running.at(-1);
    const where =
      running === undefined
        ? ""
        : ` "${running.test.split(" > ").at(-1)}"${running.seed === undefined ? "" : ` with seed ${running.seed}`} was still running.`;
    lines.push(
      style.red(
        `The tests were stopped after ${Math.round(watchdogMsPerExercise / 1000)} s without progress:${where}`,
      ),
      "Something in the code under test never returns: a loop the guard cannot see, or a regular expression that backtracks without end.",
    );
    // A worker stuck in code that never returns would keep this process alive: end it here.
    process.stdout.write(`${lines.join("\n")}\n`, () => process.exit(1));
    return new Promise<number>(() => {});
  }
  for (const verdict of verdicts) {
    lines.push(summaryLine(verdict));
    if (verdict === failing) lines.push(...failureReport(verdict, result));
  }
  if (verdicts.every((verdict) => verdict.testsTotal === 0) && result.unhandledErrors.length > 0) {
    lines.push(...result.unhandledErrors.slice(0, 1).map((error) => style.red(error)));
  }
  // The verdict is printed as soon as the tests end. Type-checking, which parses all of Node's
  // type declarations and takes about two seconds, goes on beside the tests, and what it finds
  // follows the verdict.
  process.stdout.write(`\n${lines.join("\n")}\n`);
  const more: string[] = [];
  if (failing !== undefined && !options.solutions) {
    const alone = await rerunAlone(failing, result);
    if (alone !== undefined) more.push("", ...alone);
  }
  const types = await typeErrors;
  if (types.length > 0) {
    more.push(
      "",
      style.yellow(`Type errors in your files (the tests ran anyway; fix these first):`),
      ...types.slice(0, 8).map((line) => `  ${line}`),
      ...(types.length > 8
        ? [style.dim(`  … and ${types.length - 8} more (npx tsc --noEmit)`)]
        : []),
    );
  }
  if (failing !== undefined && !options.solutions) {
    const folder = failing.exercise.chapter.folder;
    more.push(
      "",
      style.dim(
        `Edit ${failing.exercise.files.map((file) => `chapters/${folder}/${file}`).join(", ")}; ` +
          `stuck? compare with solutions/${folder}/ (npm run workbook -- compare ${failing.exercise.number}).`,
      ),
    );
  }
  if (more.length > 0) process.stdout.write(`${more.join("\n")}\n`);
  return failing === undefined && result.unhandledErrors.length === 0 ? 0 : 1;
}

/** The files an exercise needs, each missing one named with the command that restores it. */
function missingFiles(exercises: Exercise[], solutions: boolean): string[] {
  const problems: string[] = [];
  for (const exercise of exercises) {
    const folder = exercise.chapter.folder;
    for (const file of exercise.files) {
      const mine = `chapters/${folder}/${file}`;
      if (!solutions && !existsSync(join(repositoryRoot, mine)))
        problems.push(
          `${mine} is missing. Exercise ${exercise.number} needs it: npm run workbook -- reset ${exercise.number} puts the stub back.`,
        );
      const reference = `solutions/${folder}/${file}`;
      if (solutions && !existsSync(join(repositoryRoot, reference)))
        problems.push(`${reference} is missing: git checkout -- ${reference} restores it.`);
    }
    const testFile = testFileOf(exercise);
    if (!existsSync(join(repositoryRoot, testFile)))
      problems.push(`${testFile} is missing: git checkout -- ${testFile} restores it.`);
  }
  return problems;
}

/**
 * Prints node code's console output as it comes, and in watch mode the one-line summary of
 * each exercise after every re-run.
 */
class WorkbookReporter implements Reporter {
  readonly #exercises: Exercise[];
  readonly #project: string;
  readonly #watch: boolean;

  constructor(exercises: Exercise[], project: string, watch: boolean) {
    this.#exercises = exercises;
    this.#project = project;
    this.#watch = watch;
  }

  onUserConsoleLog(log: { content: string; type: "stdout" | "stderr" }): void {
    (log.type === "stderr" ? process.stderr : process.stdout).write(log.content);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (!this.#watch) return;
    const run = { outcomes: outcomesOf(testModules), unhandledErrors: [], running: [] };
    const verdicts = verdictsOf(this.#exercises, run, this.#project);
    const lines = [""];
    const failing = verdicts.find((verdict) => !verdict.passed);
    for (const verdict of verdicts) {
      lines.push(summaryLine(verdict));
      if (verdict === failing) lines.push(...failureReport(verdict, run));
    }
    lines.push(style.dim("Watching for changes; press q to quit."));
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
