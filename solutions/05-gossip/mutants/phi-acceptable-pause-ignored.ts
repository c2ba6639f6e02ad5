import { mutant } from "../../../harness/workbook/mutant.js";

// Without the pause, a long garbage collection on the monitored node looks like a crash.
export default mutant({
  mistake: "the acceptable pause is never added to the expected interval",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "const expectedMs = meanMs + this.#acceptablePauseMs;",
      replace: "const expectedMs = meanMs;",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "an acceptable pause is forgiven, and a longer one is not",
  },
});
