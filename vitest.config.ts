import { defineConfig } from "vitest/config";
import { repositoryRoot } from "./harness/workbook/catalog.js";
import { chaptersProject, pool } from "./harness/workbook/vitest-projects.js";

/**
 * What `npx vitest` and editors (the VS Code Vitest extension) run: every chapter's tests
 * against your own files, with the loop guard and the test setup, each test listed once.
 * The workbook's commands use harness/vitest.config.ts, which adds the reference solutions,
 * the harness's own tests and the mutants.
 */
export default defineConfig({
  root: repositoryRoot,
  test: { projects: [chaptersProject()], ...pool },
});
