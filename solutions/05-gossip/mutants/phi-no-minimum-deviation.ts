import { mutant } from "../../../harness/workbook/mutant.js";

// Perfectly regular heartbeats have a deviation of 0: any lateness divides by zero.
export default mutant({
  mistake:
    "no minimum standard deviation: regular heartbeats give a deviation of 0 and phi NaN or Infinity",
  file: "phi-accrual.ts",
  changes: [
    { find: "Math.max(stdDeviationMs, this.#minStdDeviationMs)", replace: "stdDeviationMs" },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "perfectly regular heartbeats use the minimum deviation, never a deviation of zero",
  },
});
