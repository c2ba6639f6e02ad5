import { describe, expect, test } from "vitest";
import type { TestCase, TestModule } from "vitest/node";
import { ResultsCollector } from "./results-reporter.js";

describe("what the watchdog counts as progress", () => {
  test("the run starting, a test file queued or collected, a test starting or ending", () => {
    const collector = new ResultsCollector();
    const moves: Array<[string, () => void]> = [
      ["the run starts", () => collector.onTestRunStart()],
      ["a test file is queued", () => collector.onTestModuleQueued({} as TestModule)],
      ["a test file's code has loaded", () => collector.onTestModuleCollected()],
      ["a test starts", () => collector.onTestCaseReady({} as TestCase)],
      ["a test ends", () => collector.onTestCaseResult()],
    ];
    for (const [what, move] of moves) {
      collector.lastProgressMs = -1;
      move();
      expect(collector.lastProgressMs, what).toBeGreaterThan(0);
    }
    collector.stop();
  });
});
