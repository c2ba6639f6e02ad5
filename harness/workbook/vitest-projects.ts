import { join } from "node:path";
import type { TestProjectInlineConfiguration } from "vitest/config";
import { repositoryRoot } from "./catalog.js";
import { guardLoops } from "./vitest-plugins.js";

/** Every chapter's tests; the projects differ in the code those tests import. */
export const chapterTests = ["chapters/**/*.test.ts"];

/**
 * What every project shares. Inline projects do not inherit the root's test options, so they
 * are spread into each. Simulation tests are synchronous and CPU-bound: a generous timeout only
 * catches a run that is far too slow, and a `--seeds` sweep, which is slow on purpose, has none
 * (the simulator's step budget and the CLI's watchdog still bound it).
 */
export function sharedOptions() {
  const sweeping = process.env["WORKBOOK_SEEDS"] !== undefined;
  return {
    setupFiles: ["harness/workbook/test-setup.ts"],
    testTimeout: sweeping ? 0 : 60_000,
    hookTimeout: 60_000,
  };
}

/**
 * The options of the whole run. Worker threads start faster than forked processes; two workers
 * use both cores of a laptop. Vitest keeps every module it transforms on disk
 * (node_modules/.experimental-vitest-cache, emptied by `npm ci`), keyed by the file's content,
 * its id, the config and the files the config imports: the next run, a learner's next
 * `workbook test`, imports the harness without transforming it again, which halves the time
 * vitest takes for one exercise. What else a module's code depends on is added to its key by
 * the plugin that makes the difference (see `runMutants`).
 */
export const pool = {
  pool: "threads",
  maxWorkers: 2,
  experimental: { fsModuleCache: true, fsModuleCachePath: moduleCacheFolder() },
} as const;

/** Where vitest keeps the modules it has transformed: its default place, named. */
export function moduleCacheFolder(): string {
  return join(repositoryRoot, "node_modules", ".experimental-vitest-cache");
}

/**
 * The learner's view: every chapter's tests against their own files, with infinite loops
 * turned into failures. The test files share a worker and one copy of the harness, and each
 * starts with fresh copies of the modules in chapters/ (see fresh-chapter-modules.ts), so state
 * a learner keeps at module level cannot carry from one file into the next.
 */
export function chaptersProject(): TestProjectInlineConfiguration {
  return {
    plugins: [guardLoops()],
    test: {
      name: "chapters",
      include: chapterTests,
      isolate: false,
      ...sharedOptions(),
      env: { WORKBOOK_TARGET: "chapters" },
    },
  };
}
