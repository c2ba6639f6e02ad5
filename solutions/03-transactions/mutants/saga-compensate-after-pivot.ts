import { mutant } from "../../../harness/workbook/mutant.js";

// Compensating when a step after the pivot fails: the payment cannot be undone, so the saga
// must go forward, retrying the car until it succeeds.
export default mutant({
  mistake: "the orchestrator compensates when a step after the pivot fails",
  file: "saga.ts",
  changes: [
    {
      find: '    if (!ok && kind === "retriable") return; // after the pivot, the only way is forward: retry\n',
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "steps after the pivot are retried until they succeed and never compensated",
  },
});
