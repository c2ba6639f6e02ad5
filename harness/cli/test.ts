import type { Chapter } from "../workbook/catalog.js";
import { runVitest } from "../workbook/run-vitest.js";
import { escapeRegExp } from "../workbook/escape-regexp.js";
import { progressOf } from "./progress.js";
import { testFileOf, type Selection } from "./selection.js";
import { style } from "./style.js";

export interface TestOptions {
  solutions: boolean;
  seed?: number;
  seeds?: number;
  test?: string;
  watch: boolean;
}

/** `workbook test`: runs the selected exercises' tests against the learner's code or the solutions. */
export async function test(
  _catalog: Chapter[],
  selection: Selection,
  options: TestOptions,
): Promise<number> {
  const project = options.solutions ? "solutions" : "chapters";
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
  const result = await runVitest({
    projects: [project],
    files: selection.exercises.map(testFileOf),
    ...(options.test === undefined ? {} : { testNamePattern: escapeRegExp(options.test) }),
    env,
    output: "verbose",
    watch: options.watch,
  });
  if (result.timedOut) {
    process.stdout.write(
      style.red(
        "\nThe tests were stopped after 10 minutes without finishing. Something in the code under test never returns.\n",
      ),
    );
    return 1;
  }
  const progress = progressOf(selection.exercises, result.outcomes, project);
  const lines = [""];
  for (const entry of progress) {
    const mark = entry.passed ? style.green("✔") : style.red("✘");
    lines.push(
      `${mark} ${entry.exercise.number} ${entry.exercise.title}: ${entry.testsPassed} of ${entry.testsTotal} tests pass`,
    );
  }
  const failing = progress.find((entry) => !entry.passed);
  if (failing !== undefined && !options.solutions) {
    const folder = failing.exercise.chapter.folder;
    lines.push(
      style.dim(
        `Read the first failure above, then edit ${failing.exercise.files.map((file) => `chapters/${folder}/${file}`).join(", ")}.`,
      ),
      style.dim(
        `Stuck? Compare with solutions/${folder}/ or run: npm run workbook -- test ${failing.exercise.number} --solutions`,
      ),
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return result.exitCode === 0 && failing === undefined ? 0 : 1;
}
