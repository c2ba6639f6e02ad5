import { defineConfig } from "vitest/config";
import { repositoryRoot } from "../workbook/catalog.js";
import { guardLoops, useSolutions } from "../workbook/vitest-plugins.js";
import { chapterTests, pool, sharedOptions } from "../workbook/vitest-projects.js";

/**
 * The "solutions" project with one more setup file, which hashes every event of every run (see
 * run-fingerprints.ts).
 */
const shared = sharedOptions();
export default defineConfig({
  root: repositoryRoot,
  test: {
    projects: [
      {
        plugins: [useSolutions(), guardLoops()],
        test: {
          name: "solutions",
          include: chapterTests,
          isolate: false,
          ...shared,
          setupFiles: [...shared.setupFiles, "harness/bench/run-fingerprints.setup.ts"],
          env: { WORKBOOK_TARGET: "solutions" },
        },
      },
    ],
    ...pool,
  },
});
