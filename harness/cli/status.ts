import type { Chapter } from "../workbook/catalog.js";
import { runVitest } from "../workbook/run-vitest.js";
import { nextExercise, progressOf, type ExerciseProgress } from "./progress.js";
import {
  rememberedResults,
  rememberResults,
  resultKeys,
  wholeRun,
  type RememberedResult,
} from "./remembered-results.js";
import { testFileOf, type Selection } from "./selection.js";
import { style } from "./style.js";

/**
 * `workbook status`: every exercise, whether it passes against the learner's code, and what is
 * next. Exercises that nothing has changed since their last whole run are not run again: their
 * results are remembered (see remembered-results.ts), and `--rerun` runs every one anyway.
 * Given a chapter or an exercise, it shows and runs only those.
 */
export async function status(
  catalog: Chapter[],
  options: { json: boolean; rerun?: boolean; selection: Selection },
): Promise<number> {
  const { selection } = options;
  const exercises = selection.exercises;
  const keys = resultKeys(exercises);
  const remembered: Map<string, RememberedResult> =
    options.rerun === true ? new Map() : rememberedResults(keys);
  const toRun = exercises.filter((exercise) => !remembered.has(exercise.id));
  let fresh: ExerciseProgress[] = [];
  let timedOut = false;
  if (toRun.length > 0) {
    if (!options.json)
      process.stdout.write(
        style.dim(
          toRun.length === exercises.length
            ? `Running the tests of ${selection.label} against your code…\n`
            : `Running the tests of the ${plural(toRun.length, "exercise")} whose chapter changed since their last run…\n`,
        ),
      );
    const result = await runVitest({
      projects: ["chapters"],
      files: toRun.map(testFileOf),
      output: "quiet",
    });
    fresh = progressOf(toRun, result.outcomes, "chapters");
    timedOut = result.timedOut;
    if (wholeRun(result)) rememberResults(fresh, keys);
  }
  const progress = exercises.map(
    (exercise) =>
      fresh.find((entry) => entry.exercise === exercise) ?? {
        exercise,
        ...remembered.get(exercise.id)!,
      },
  );
  if (options.json) {
    const entries = progress.map((entry) => ({
      chapter: entry.exercise.chapter.folder,
      exercise: entry.exercise.id,
      number: entry.exercise.number,
      title: entry.exercise.title,
      files: entry.exercise.files.map(
        (file) => `chapters/${entry.exercise.chapter.folder}/${file}`,
      ),
      passed: entry.passed,
      testsPassed: entry.testsPassed,
      testsTotal: entry.testsTotal,
      remembered: remembered.has(entry.exercise.id),
    }));
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(renderStatus(catalog, progress, timedOut, remembered.size, selection));
  return 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** What `status` prints: the selected exercises by chapter, how many pass, and what is next. */
export function renderStatus(
  catalog: Chapter[],
  progress: ExerciseProgress[],
  timedOut: boolean,
  rememberedCount: number,
  selection: Selection,
): string {
  const done = progress.filter((entry) => entry.passed).length;
  const next = nextExercise(progress);
  const whole = selection.kind === "all";
  const lines = [
    "",
    style.bold(
      whole ? "Distributed Systems Workbook" : `Distributed Systems Workbook: ${selection.label}`,
    ),
    `${bar(done, progress.length)}  ${done} of ${progress.length} ${progress.length === 1 ? "exercise passes" : "exercises pass"}`,
    "",
  ];
  for (const chapter of catalog) {
    if (!progress.some((entry) => entry.exercise.chapter === chapter)) continue;
    lines.push(style.bold(`Chapter ${chapter.number} · ${chapter.title}`));
    if (chapter.subtitle !== "") lines.push(style.dim(`  ${chapter.subtitle}`));
    lines.push(style.dim(`  notes: chapters/${chapter.folder}/README.md`));
    for (const entry of progress.filter((candidate) => candidate.exercise.chapter === chapter)) {
      const mark = entry.passed
        ? style.green("✔")
        : entry.testsPassed > 0
          ? style.yellow("◐")
          : style.dim("○");
      const tests = style.dim(`${entry.testsPassed}/${entry.testsTotal} tests`);
      const pointer = entry === next ? style.cyan("  ← next") : "";
      lines.push(
        `  ${mark} ${entry.exercise.number.padEnd(4)} ${entry.exercise.title.padEnd(40)} ${tests}${pointer}`,
      );
    }
    lines.push("");
  }
  if (timedOut)
    lines.push(
      style.yellow("The test run was stopped after too long; some results may be missing."),
      "",
    );
  if (next === undefined) {
    lines.push(
      whole
        ? style.green("Every exercise passes. Well done!")
        : `${style.green(`${selection.kind === "exercise" ? "It passes" : "Every exercise in it passes"}.`)} npm start shows the whole workbook.`,
    );
  } else {
    const exercise = next.exercise;
    lines.push(
      `${style.bold("Next:")} ${exercise.number} ${exercise.title}`,
      `  read   chapters/${exercise.chapter.folder}/README.md`,
      `  edit   ${exercise.files.map((file) => `chapters/${exercise.chapter.folder}/${file}`).join(", ")}`,
      `  test   npm run workbook -- test ${exercise.number}`,
    );
  }
  if (rememberedCount > 0)
    lines.push(
      "",
      style.dim(
        rememberedCount === 1
          ? "1 exercise had not changed since its last run, so its result was remembered, not run again; --rerun runs it."
          : `${rememberedCount} exercises had not changed since their last run, so their results were remembered, not run again; --rerun runs them all.`,
      ),
    );
  lines.push("", style.dim("More: npm run workbook -- help"), "");
  return lines.join("\n");
}

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return style.green("█".repeat(filled)) + style.dim("░".repeat(width - filled));
}
