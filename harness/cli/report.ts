import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Exercise } from "../workbook/catalog.js";
import { repositoryRoot } from "../workbook/catalog.js";
import type { RunOutcome, TestOutcome } from "../workbook/results-reporter.js";
import type { RunningNow } from "../workbook/running-channel.js";
import { isDemonstration } from "./progress.js";
import { testFileOf } from "./selection.js";
import { style } from "./style.js";

/** Lines are cut to this many columns, so a failure reads the same in any terminal. */
export const reportColumns = 100;

/** One exercise's verdict, as the short report and `status` count it. */
export interface ExerciseVerdict {
  exercise: Exercise;
  passed: boolean;
  testsPassed: number;
  /** Tests that ran (all of them, unless `--test` selected some). */
  testsSelected: number;
  /** Every test of the exercise. */
  testsTotal: number;
  failures: TestOutcome[];
  /** Tests that never finished: the worker died, or the run was stopped. */
  unfinished: TestOutcome[];
}

export function verdictsOf(
  exercises: Exercise[],
  run: RunOutcome,
  project: string,
): ExerciseVerdict[] {
  return exercises.map((exercise) => {
    const file = testFileOf(exercise);
    const own = run.outcomes.filter(
      (outcome) =>
        outcome.project === project && outcome.file === file && !isDemonstration(outcome.name),
    );
    const selected = own.filter((outcome) => outcome.state !== "skipped");
    const failures = selected.filter((outcome) => outcome.state === "failed");
    const testsPassed = selected.filter((outcome) => outcome.state === "passed").length;
    return {
      exercise,
      passed: failures.length === 0 && testsPassed > 0 && own.length > 0,
      testsPassed,
      testsSelected: selected.length,
      testsTotal: own.filter((outcome) => outcome.name !== "(file failed to load)").length,
      failures,
      unfinished: failures.filter((outcome) => outcome.unfinished === true),
    };
  });
}

/** The one line per exercise: "✘ 2.2 Raft leader election: 3 of 15 tests pass". */
export function summaryLine(verdict: ExerciseVerdict): string {
  const { exercise, testsPassed, testsSelected, testsTotal } = verdict;
  const mark = verdict.passed ? style.green("✔") : style.red("✘");
  const counted =
    testsSelected < testsTotal
      ? `${testsPassed} of ${testsSelected} selected tests pass; the exercise has ${testsTotal}`
      : `${testsPassed} of ${testsTotal} tests pass`;
  const unfinished = verdict.unfinished.length > 0 ? style.red(" (the run did not finish)") : "";
  return `${mark} ${exercise.number} ${exercise.title}: ${counted}${unfinished}`;
}

const todoPattern = /TODO\(exercise ([\w.]+)\): ([^\n]*)/;

/**
 * The short report of one exercise's failures: one line per failing test (identical TODOs
 * collapsed into one), then the first real failure in full, with the learner's line and the
 * command that replays it.
 */
export function failureReport(verdict: ExerciseVerdict, run: RunOutcome): string[] {
  const lines: string[] = [];
  const todos = new Map<string, TestOutcome[]>();
  const others: TestOutcome[] = [];
  for (const failure of verdict.failures) {
    if (failure.unfinished === true) continue;
    const todo = todoPattern.exec(failure.errors[0] ?? "");
    if (todo === null) others.push(failure);
    else todos.set(todo[0], [...(todos.get(todo[0]) ?? []), failure]);
  }
  if (verdict.unfinished.length > 0)
    lines.push(...unfinishedReport(verdict, run).flatMap((line) => wrap(line, "    ")));
  for (const [todo, failures] of todos) {
    const where = learnerLocation(failures[0]!);
    const count =
      failures.length === 1 ? `"${failures[0]!.name}" stops` : `${failures.length} tests stop`;
    const at = where === undefined ? "" : ` in ${where.text}`;
    lines.push(cut(`  ${style.yellow("●")} ${count} at ${todo.replace(": ", `${at}: `)}`));
  }
  for (const failure of others) {
    lines.push(
      cut(`  ${style.red("✘")} ${failure.name}: ${firstLine(failure.errors[0] ?? "failed")}`),
    );
  }
  const first = others[0] ?? [...todos.values()][0]?.[0];
  if (first !== undefined)
    lines.push("", ...fullFailure(first, todos.size > 0 && others.length === 0));
  return lines;
}

function unfinishedReport(verdict: ExerciseVerdict, run: RunOutcome): string[] {
  const file = join(repositoryRoot, testFileOf(verdict.exercise));
  const now: RunningNow | undefined = run.running.filter((entry) => entry.file === file).at(-1);
  const what = whatHappened(run.unhandledErrors);
  const test = now === undefined ? "" : ` while "${now.test.split(" > ").at(-1)}" ran`;
  const seed = now?.seed === undefined ? "" : ` with seed ${now.seed}`;
  const lines = [
    `  ${style.red("✘")} ${verdict.unfinished.length} test${verdict.unfinished.length === 1 ? "" : "s"} did not finish: the test process stopped${test}${seed}.`,
    `    ${what}`,
  ];
  if (now?.seed !== undefined) {
    lines.push(
      `    Replay: npm run workbook -- test ${verdict.exercise.number} --seed ${now.seed} --test "${now.test.split(" > ").at(-1)}"`,
    );
  }
  return lines;
}

/** What killed a worker, in words a learner can act on. */
export function whatHappened(unhandledErrors: string[]): string {
  const text = unhandledErrors.join("\n");
  if (/out of memory|heap|ERR_WORKER_OUT_OF_MEMORY/i.test(text))
    return "It ran out of memory: look for state that grows on every event (a log, queue or set that is never trimmed).";
  if (/timed out|watchdog|stopped after/i.test(text))
    return "It was stopped by the watchdog: something never returned.";
  return "The test process was killed (by process.kill, process.abort, or the system running out of memory).";
}

/**
 * The first failure in full: its message without the harness's stack, the learner's line with
 * the code around it, and (already in the message) the seed and the replay command.
 */
function fullFailure(failure: TestOutcome, todoOnly: boolean): string[] {
  const lines = [
    style.bold(todoOnly ? `Start here: ${failure.fullName}` : `First failure: ${failure.fullName}`),
  ];
  const message = failure.errors[0] ?? "";
  const messageLines = message.split("\n");
  // The recent trace is long; the replay lines at the end are what matters most.
  const replayAt = messageLines.findIndex((line) => /failed with seed \d+/.test(line));
  const head = messageLines.slice(0, replayAt === -1 ? messageLines.length : replayAt);
  const tail = replayAt === -1 ? [] : messageLines.slice(replayAt);
  if (todoOnly) {
    // Only the task matters: which node's start it was in is noise on an untouched stub.
    const todo = todoPattern.exec(message);
    lines.push(...wrap(`  ${todo?.[0] ?? firstLine(message)}`, "    "));
  } else {
    const headMax = 18;
    lines.push(...head.slice(0, headMax).flatMap((line) => wrap(`  ${line}`, "    ")));
    if (head.length > headMax)
      lines.push(style.dim(`  … ${head.length - headMax} more lines: add --verbose to see them`));
  }
  const where = learnerLocation(failure);
  if (where !== undefined) lines.push(...where.frame);
  // Replay commands are printed whole, never cut, so they can be copied.
  lines.push(...tail.filter((line) => line.trim() !== ""));
  return lines;
}

/** The first stack frame in the learner's (or a solution's) code, with a code frame. */
function learnerLocation(failure: TestOutcome): { text: string; frame: string[] } | undefined {
  const exercisePath = (file: string) => {
    const path = relative(repositoryRoot, file).split("\\").join("/");
    return path.startsWith("chapters/") || path.startsWith("solutions/");
  };
  const frames = (failure.frames ?? []).filter((candidate) => exercisePath(candidate.file));
  // The learner's own line first; else the test's line that made the failing check.
  const frame = frames.find((candidate) => !candidate.file.endsWith(".test.ts")) ?? frames[0];
  if (frame === undefined || !existsSync(frame.file)) return undefined;
  const path = relative(repositoryRoot, frame.file).split("\\").join("/");
  const source = readFileSync(frame.file, "utf8").split("\n");
  const code: string[] = [];
  for (
    let line = Math.max(1, frame.line - 1);
    line <= Math.min(source.length, frame.line + 1);
    line++
  ) {
    const marker = line === frame.line ? style.red(">") : " ";
    code.push(style.dim(`  ${marker} ${String(line).padStart(4)} | `) + (source[line - 1] ?? ""));
  }
  return {
    text: `${path}:${frame.line}`,
    frame: [style.dim(`  at ${path}:${frame.line}:${frame.column}`), ...code],
  };
}

/**
 * The line that says what went wrong: the first that is not blank, nor the preamble vite puts
 * before a syntax error ("Transform failed with 1 error:").
 */
function firstLine(message: string): string {
  const lines = message.split("\n").filter((line) => line.trim() !== "");
  return (
    lines.find((line) => !/^Transform failed with \d+ errors?:$/.test(line)) ?? lines[0] ?? message
  );
}

/** Breaks a line at spaces to the report's width; `indent` starts each continuation. */
function wrap(line: string, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > reportColumns) {
    const space = rest.lastIndexOf(" ", reportColumns);
    const at = space > indent.length ? space : reportColumns;
    out.push(rest.slice(0, at));
    rest = indent + rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** Cuts a line to the report's width, counting visible characters only. */
function cut(line: string): string {
  const visible = line.replace(/\x1b\[[0-9;]*m/g, "");
  if (visible.length <= reportColumns) return line;
  return `${visible.slice(0, reportColumns - 1)}…`;
}
