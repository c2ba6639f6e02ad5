import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { allExercises, loadCatalog, repositoryRoot } from "./workbook/catalog.js";
import { escapeRegExp } from "./workbook/escape-regexp.js";
import { loadMutants } from "./workbook/mutants.js";
import { guardLoops, useMutant, useSolutions } from "./workbook/vitest-plugins.js";

/**
 * One set of tests, several targets. Each project runs the chapter tests against different
 * code: "chapters" against the learner's files, "solutions" against the reference solutions,
 * and, when WORKBOOK_MUTANTS=1, one "mutant:…" project per known-buggy variant of a solution.
 */
const chapterTests = ["chapters/**/*.test.ts"];

/**
 * What every project shares. Inline projects do not inherit the root's test options, so they
 * are spread into each. Simulation tests are synchronous and CPU-bound: a generous timeout only
 * catches a run that is far too slow, and a `--seeds` sweep, which is slow on purpose, has none
 * (the simulator's step budget and the CLI's watchdog still bound it).
 */
const sweeping = process.env["WORKBOOK_SEEDS"] !== undefined;
const shared = {
  setupFiles: ["harness/workbook/test-setup.ts"],
  testTimeout: sweeping ? 0 : 60_000,
  hookTimeout: 60_000,
};

const projects: TestProjectInlineConfiguration[] = [
  { test: { name: "harness", include: ["harness/**/*.test.ts"], ...shared } },
  {
    plugins: [guardLoops()],
    test: {
      name: "chapters",
      include: chapterTests,
      ...shared,
      env: { WORKBOOK_TARGET: "chapters" },
    },
  },
  {
    plugins: [useSolutions(), guardLoops()],
    test: {
      name: "solutions",
      include: chapterTests,
      ...shared,
      env: { WORKBOOK_TARGET: "solutions" },
    },
  },
];

if (process.env["WORKBOOK_MUTANTS"] === "1") {
  const exercises = allExercises(loadCatalog());
  for (const { name, chapterFolder, mutant } of await loadMutants()) {
    const exercise = exercises.find((candidate) => candidate.id === mutant.caughtBy.exercise);
    if (exercise === undefined)
      throw new Error(`Mutant ${name} names an unknown exercise "${mutant.caughtBy.exercise}"`);
    // Only the test that must catch the mistake runs: the rest of the file proves nothing here,
    // and skipping it halves `npm test`. Vitest 4 honours a per-project testNamePattern though
    // its ProjectConfig type omits it; were that to change, the whole file would run again,
    // which is slower but checks exactly the same thing.
    const onlyTheCatchingTest = { testNamePattern: `${escapeRegExp(mutant.caughtBy.test)}$` };
    projects.push({
      plugins: [useMutant(name, chapterFolder, mutant), useSolutions(), guardLoops()],
      test: {
        name: `mutant:${name}`,
        include: [`chapters/${exercise.chapter.folder}/${exercise.test}`],
        ...onlyTheCatchingTest,
        ...shared,
        env: { WORKBOOK_TARGET: `mutant:${name}` },
      },
    });
  }
}

export default defineConfig({
  root: repositoryRoot,
  test: { projects },
});
