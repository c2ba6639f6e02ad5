import { mutant } from "../../../harness/workbook/mutant.js";

// An item past the largest token belongs to the smallest, as on every ring.
export default mutant({
  mistake: "no wrap-around: an item past the largest token starts at the largest",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "return low === this.#tokens.length ? 0 : low;",
      replace: "return Math.min(low, this.#tokens.length - 1);",
    },
  ],
  caughtBy: {
    exercise: "bounded-load-ring",
    test: "with ε very large the assignment equals the plain ring",
  },
});
