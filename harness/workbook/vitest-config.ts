import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin, TestProjectInlineConfiguration, ViteUserConfig } from "vitest/config";
import { allExercises, loadCatalog, repositoryRoot } from "./catalog.js";
import { escapeRegExp } from "./escape-regexp.js";
import { loadMutants } from "./mutants.js";
import { relativeImports } from "./relative-imports.js";
import {
  guardLoops,
  runMutants,
  transformAhead,
  useSolutions,
  type MutantRun,
} from "./vitest-plugins.js";
import {
  chapterTests,
  chaptersProject,
  moduleCacheFolder,
  pool,
  sharedOptions,
} from "./vitest-projects.js";

/**
 * The workbook's vitest config. One set of tests, several targets. Each project runs the chapter
 * tests against different code: "chapters" against the learner's files, "solutions" against
 * the reference solutions, and, when WORKBOOK_MUTANTS=1, "mutants" against every known-buggy
 * variant of a solution. The root vitest.config.ts is the learner's "chapters" project alone,
 * for `npx vitest` and editors.
 *
 * The harness's own tests and the solutions are the workbook's code, which keeps no state at
 * module level: their test files share modules within a worker (`isolate: false`), which saves
 * importing the harness again for every file.
 *
 * The workbook's commands hand this object to vitest as it is (see run-vitest.ts), rather than
 * naming harness/vitest.config.ts, which vitest would bundle and load again on every run: about
 * 50 ms of each `workbook test`. harness/vitest.config.ts, for `npm run ui`, is this too.
 */
export async function workbookConfig(): Promise<ViteUserConfig> {
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
  if (process.env["WORKBOOK_MUTANTS"] === "1") projects.push(await mutantsProject());
  // One plugin in every project, so that whichever projects a run selects, the key is added
  // once, by the same function. Transforming ahead helps where one file's chain of imports is
  // what a worker waits on; the mutants' many copies are asked for by many files at once, and
  // there the second resolution of every import made a cold run about a second slower (five
  // of six alternating pairs), so they go without.
  const key = configKey();
  const ahead = transformAhead(moduleCacheFolder());
  for (const project of projects) {
    const own = project.plugins ?? [];
    project.plugins = project.test?.name === "mutants" ? [key, ...own] : [key, ahead, ...own];
  }
  return { root: repositoryRoot, test: { projects, ...pool } };
}

async function mutantsProject(): Promise<TestProjectInlineConfiguration> {
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
  return {
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
  };
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

/**
 * Vitest's module cache keys each transformed module by the text of the config file and of
 * every file it imports, among other things, so that a change to a plugin (the loop guard, say)
 * is never answered with a transform made before it. A config handed over as an object has no
 * file, so this plugin adds the same to the key: the text of this module and of every harness
 * module it imports.
 */
function configKey(): Plugin {
  const key = sourcesKey(importedSources(fileURLToPath(import.meta.url)));
  const generator = () => key;
  return {
    name: "workbook:config-key",
    // Vitest keeps its generators in a set: the same function, from each project, is one.
    configureVitest({ experimental_defineCacheKeyGenerator }) {
      experimental_defineCacheKeyGenerator(generator);
    },
  };
}

/** `entry` and every module it reaches through relative imports, each once. */
export function importedSources(entry: string): string[] {
  const found: string[] = [];
  const visit = (file: string) => {
    if (found.includes(file) || !existsSync(file)) return;
    found.push(file);
    relativeImports(file).forEach(visit);
  };
  visit(entry);
  return found;
}

/** A hash of the files' names and texts. */
export function sourcesKey(files: string[]): string {
  const hash = createHash("sha1");
  for (const file of files) hash.update(`${file}\n${readFileSync(file, "utf8")}\n`);
  return hash.digest("hex");
}
