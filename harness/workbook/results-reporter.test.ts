import { describe, expect, test } from "vitest";
import type { TestCase, TestModule } from "vitest/node";
import { plainText, ResultsCollector } from "./results-reporter.js";

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

describe("messages as the workbook's report prints them", () => {
  test("a syntax error's code frame loses its colour codes and nothing else", () => {
    const coloured =
      "\x1b[31m[PARSE_ERROR] \x1b[0mUnexpected token\n \x1b[38;5;246m39 │\x1b[0m " +
      "\x1b[38;5;249mx\x1b[0m\x1b[38;5;249m \x1b[0m\x1b[38;5;249m=\x1b[0m (;";
    expect(plainText(coloured)).toBe("[PARSE_ERROR] Unexpected token\n 39 │ x = (;");
    expect(plainText("expected 3 to be 4 // Object.is"), "a plain message").toBe(
      "expected 3 to be 4 // Object.is",
    );
  });
});
