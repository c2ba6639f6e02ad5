import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Exercise } from "../workbook/catalog.js";
import { repositoryRoot } from "../workbook/catalog.js";

/**
 * The type errors in the learner's files of these exercises, one line each
 * ("chapters/01-clocks/lamport-clock.ts:12:5: Type 'string' is not assignable…"). They are
 * shown with the test results and do not fail the exercise by themselves: the tests say
 * whether the code works, and a learner mid-way through a change should still see them run.
 */
export function typeErrorsOf(exercises: Exercise[]): Promise<string[]> {
  const files = exercises.flatMap((exercise) =>
    exercise.files.map((file) => join(repositoryRoot, "chapters", exercise.chapter.folder, file)),
  );
  return typeCheck(repositoryRoot, files, join(repositoryRoot, ".workbook", "types.tsbuildinfo"));
}

/**
 * Type-checks `files` of the workbook at `root` with its tsconfig.json, in a worker thread
 * (type-check-worker.mjs), keeping incremental state in `buildInfo`.
 */
export function typeCheck(root: string, files: string[], buildInfo: string): Promise<string[]> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./type-check-worker.mjs", import.meta.url), {
      workerData: { root, files, buildInfo },
    });
    worker.unref();
    worker.once("message", (lines: string[]) => resolve(lines));
    // A type checker that cannot start is no reason to hide the test results.
    worker.once("error", () => resolve([]));
    worker.once("exit", () => resolve([]));
  });
}
