import { mutant } from "../../../harness/workbook/mutant.js";

// Treating a failed compensation as done: the booking it was meant to cancel stays in force.
export default mutant({
  mistake: "the orchestrator moves on when a compensation fails",
  file: "saga.ts",
  changes: [
    {
      find: "      if (message.ok) this.#compensateFrom(message.saga, record, record.step - 1);",
      replace: "      this.#compensateFrom(message.saga, record, record.step - 1);",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "a compensation that fails is retried until it succeeds",
  },
});
