import { join } from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { allExercises, loadCatalog, repositoryRoot } from "./workbook/catalog.js";
import { escapeRegExp } from "./workbook/escape-regexp.js";
import { loadMutants } from "./workbook/mutants.js";
import { guardLoops, runMutants, useSolutions, type MutantRun } from "./workbook/vitest-plugins.js";
import { chapterTests, chaptersProject, pool, sharedOptions } from "./workbook/vitest-projects.js";

/**
 * One set of tests, several targets. Each project runs the chapter tests against different
 * code: "chapters" against the learner's files, "solutions" against the reference solutions,
 * and, when WORKBOOK_MUTANTS=1, "mutants" against every known-buggy variant of a solution.
 * The root vitest.config.ts is the learner's "chapters" project alone, for `npx vitest` and
 * editors.
 *
 * The harness's own tests and the solutions are the workbook's code, which keeps no state at
 * module level: their test files share modules within a worker (`isolate: false`), which saves
 * importing the harness again for every file.
 */
const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      name: "harness",
      include: ["harness/**/*.test.ts"],
      isolate: false,
      ...sharedOptions(),
    },
  },
  chaptersProject(),
  {
    plugins: [useSolutions(), guardLoops()],
    test: {
      name: "solutions",
      include: chapterTests,
      isolate: false,
      ...sharedOptions(),
      env: { WORKBOOK_TARGET: "solutions" },
    },
  },
];

if (process.env["WORKBOOK_MUTANTS"] === "1") {
  const exercises = allExercises(loadCatalog());
  const runs: MutantRun[] = [];
  for (const entry of await loadMutants()) {
    // A mutant naming no exercise is reported by `npm test`'s own check of it; leaving it out
    // here keeps every other mutant running.
    const exercise = exercises.find((candidate) => candidate.id === entry.mutant.caughtBy.exercise);
    if (exercise !== undefined)
      runs.push({
        ...entry,
        testFile: join(repositoryRoot, "chapters", exercise.chapter.folder, exercise.test),
      });
  }
  projects.push({
    plugins: [runMutants(runs), useSolutions(), guardLoops()],
    test: {
      name: "mutants",
      include: runs.map((run) => run.file),
      // Only the test that must catch each mistake runs: the rest of its file proves nothing
      // here. Vitest 4 honours a per-project testNamePattern though its ProjectConfig type
      // omits it; were that to change, whole files would run, slower but checking the same.
      ...{ testNamePattern: catchingTests(runs) },
      // Mutants share one copy of the harness per worker; each mutant's own modules are
      // separate (see runMutants), so nothing one mutant does can leak into another.
      isolate: false,
      ...sharedOptions(),
      env: { WORKBOOK_TARGET: "mutants" },
    },
  });
}

/**
 * Matches, for each mutant, the test that must catch it, inside that mutant's suite: the
 * full name starts with the mutant's name (its suite, see mutant-suite.ts) and ends with the
 * test's.
 */
function catchingTests(runs: MutantRun[]): string {
  const alternatives = runs.map(
    ({ name, mutant }) => `${escapeRegExp(name)} (?:.* )?${escapeRegExp(mutant.caughtBy.test)}`,
  );
  return `^(?:${alternatives.join("|")})$`;
}

export default defineConfig({
  root: repositoryRoot,
  test: { projects, ...pool },
});
