import { mutant } from "../../../harness/workbook/mutant.js";

// Reading only the mean (the exponential model) under the normal model's name: regular heartbeats get no sharper detection than jittery ones.
export default mutant({
  mistake: "phi from the mean alone, ignoring how much the intervals vary",
  file: "phi-accrual.ts",
  changes: [
    { find: 'if (this.#distribution === "exponential") return', replace: "if (true) return" },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "perfectly regular heartbeats use the minimum deviation, never a deviation of zero",
  },
});
