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
    const own = outcomes.filter((outcome) => outcome.project === project && outcome.file === file);
    const testsPassed = own.filter((outcome) => outcome.state === "passed").length;
    const failed = own.some((outcome) => outcome.state === "failed");
    return { exercise, testsPassed, testsTotal: own.length, passed: !failed && testsPassed > 0 };
  });
}

/** The first exercise, in order, that does not pass yet. */
export function nextExercise(progress: ExerciseProgress[]): ExerciseProgress | undefined {
  return progress.find((entry) => !entry.passed);
}
