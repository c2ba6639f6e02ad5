import { describe, expect, test } from "vitest";
import { loadCatalog } from "../workbook/catalog.js";
import type { TestOutcome } from "../workbook/results-reporter.js";
import { nextExercise, progressOf } from "./progress.js";

const [chapter] = loadCatalog();
const [first, second] = chapter!.exercises;

function outcome(file: string, name: string, state: TestOutcome["state"]): TestOutcome {
  return { project: "chapters", file, name, fullName: name, state, errors: [], durationMs: 0 };
}

describe("progress", () => {
  test("an exercise passes when all its tests pass, and the next exercise is the first that does not", () => {
    const firstFile = `chapters/${first!.chapter.folder}/${first!.test}`;
    const secondFile = `chapters/${second!.chapter.folder}/${second!.test}`;
    const progress = progressOf(
      [first!, second!],
      [
        outcome(firstFile, "a", "passed"),
        outcome(secondFile, "b", "passed"),
        outcome(secondFile, "c", "failed"),
      ],
      "chapters",
    );
    expect(
      progress.map((entry) => entry.passed),
      "which exercises pass",
    ).toEqual([true, false]);
    expect(nextExercise(progress)?.exercise.id, "the next exercise").toBe(second!.id);
  });

  test("a demonstration test that passes on purpose does not count as progress", () => {
    const file = `chapters/${first!.chapter.folder}/${first!.test}`;
    const [entry] = progressOf(
      [first!],
      [
        outcome(file, "demonstration: wall clocks lose writes", "passed"),
        outcome(file, "the rule", "failed"),
      ],
      "chapters",
    );
    expect(entry!.testsPassed, "tests counted as passed").toBe(0);
    expect(entry!.testsTotal, "tests counted").toBe(1);
  });

  test("an exercise whose file reported no tests does not pass", () => {
    const [entry] = progressOf([first!], [], "chapters");
    expect(entry!.passed, "an exercise with no results").toBe(false);
  });
});
