/** What a stub throws until the learner writes the code: a pointer to the task, not a crash. */
export class TodoError extends Error {
  override name = "TodoError";
}

/**
 * Marks code the learner is to write. The message names the exercise and the task, so a
 * failing test on an untouched stub says what to do next.
 *
 * @example
 * tick(): number {
 *   return todo("1.1", "advance the clock for a local event and return the new time");
 * }
 */
export function todo(exercise: string, task: string): never {
  const error = new TodoError(`TODO(exercise ${exercise}): ${task}`);
  // Start the stack at the stub that called todo(), so the code frame shows the learner's file.
  Error.captureStackTrace(error, todo);
  throw error;
}
