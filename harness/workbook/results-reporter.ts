import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { repositoryRoot } from "./catalog.js";

/** One test's outcome, as the workbook's own commands read it. */
export interface TestOutcome {
  project: string;
  /** The test file, relative to the repository root. */
  file: string;
  /** The test's own name, without its describe blocks. */
  name: string;
  fullName: string;
  state: "passed" | "failed" | "skipped";
  errors: string[];
  /** How long the test ran, in milliseconds of wall time. */
  durationMs: number;
}

/**
 * Writes every test's outcome to the JSON file named by WORKBOOK_RESULTS_OUT, so `workbook
 * status` and the project's checks count results from vitest itself rather than its printout.
 * A test file that fails to load is reported as one failed test named "(file failed to load)".
 */
export default class ResultsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const path = process.env["WORKBOOK_RESULTS_OUT"];
    if (path === undefined) return;
    const outcomes: TestOutcome[] = [];
    for (const testModule of testModules) {
      const project = testModule.project.name;
      const file = relative(repositoryRoot, testModule.moduleId).split("\\").join("/");
      const moduleErrors = testModule.errors().map((error) => error.message);
      let count = 0;
      for (const test of testModule.children.allTests()) {
        count++;
        const result = test.result();
        const state =
          result.state === "passed" || result.state === "failed" ? result.state : "skipped";
        const errors = (result.errors ?? []).map((error) => error.message ?? String(error));
        const durationMs = test.diagnostic()?.duration ?? 0;
        outcomes.push({
          project,
          file,
          name: test.name,
          fullName: test.fullName,
          state,
          errors,
          durationMs,
        });
      }
      if (count === 0 || moduleErrors.length > 0) {
        outcomes.push({
          project,
          file,
          name: "(file failed to load)",
          fullName: "(file failed to load)",
          state: moduleErrors.length > 0 ? "failed" : "skipped",
          errors: moduleErrors,
          durationMs: 0,
        });
      }
    }
    writeFileSync(path, JSON.stringify(outcomes, null, 2));
  }
}
