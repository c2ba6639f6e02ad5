import { mutant } from "../../../harness/workbook/mutant.js";

// Sending whole state on every round: correct, but the answer grows with the data, not with the difference.
export default mutant({
  mistake: "a sync is answered with every value, not just the missing ones",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: "const missing = [...this.#values].filter((value) => !theirs.has(value));",
      replace: "const missing = theirs.size >= 0 ? [...this.#values] : [];",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "a sync is answered with exactly the values the sender lacks",
  },
});
