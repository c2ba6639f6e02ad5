import { mutant } from "../../../harness/workbook/mutant.js";

// Dividing by n − 1 is right for estimating from a sample, but not what Akka publishes, and with one interval it divides by zero.
export default mutant({
  mistake:
    "the sample variance (divide by n − 1) where the published values use the population variance",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "return Math.max(0, this.#sumOfSquares / this.#intervals.length - mean * mean);",
      replace:
        "const count = this.#intervals.length;\n    return count < 2 ? 0 : Math.max(0, (this.#sumOfSquares - count * mean * mean) / (count - 1));",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "the window's mean and variance are those of its intervals",
  },
});
