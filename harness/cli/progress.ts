import type { Exercise } from "../workbook/catalog.js";
import type { TestOutcome } from "../workbook/results-reporter.js";
import { testFileOf } from "./selection.js";

/** How far one exercise is, from its test outcomes. */
export interface ExerciseProgress {
  exercise: Exercise;
  testsPassed: number;
  testsTotal: number;
  /** Every test passed (and there was at least one). */
  passed: boolean;
}

export function progressOf(
  exercises: Exercise[],
  outcomes: TestOutcome[],
  project: string,
): ExerciseProgress[] {
  return exercises.map((exercise) => {
    const file = testFileOf(exercise);
    // A demonstration passes on purpose, to show a problem the exercise then solves; counting it
    // would show an untouched exercise as started.
    const own = outcomes.filter(
      (outcome) =>
        outcome.project === project && outcome.file === file && !isDemonstration(outcome.name),
    );
    const testsPassed = own.filter((outcome) => outcome.state === "passed").length;
    const failed = own.some((outcome) => outcome.state === "failed");
    return { exercise, testsPassed, testsTotal: own.length, passed: !failed && testsPassed > 0 };
  });
}

/** Tests named "demonstration: …" show a problem rather than check the learner's code. */
export function isDemonstration(testName: string): boolean {
  return testName.startsWith("demonstration:");
}

/** The first exercise, in order, that does not pass yet. */
export function nextExercise(progress: ExerciseProgress[]): ExerciseProgress | undefined {
  return progress.find((entry) => !entry.passed);
}
