import { mutant } from "../../../harness/workbook/mutant.js";

// The contract says ascending order, so that two nodes with the same values read the same.
export default mutant({
  mistake: "read returns values in arrival order",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: "return [...this.#values].sort((a, b) => a - b);",
      replace: "return [...this.#values];",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "values that arrive are kept once, even when duplicated or late, and not passed on",
  },
});
