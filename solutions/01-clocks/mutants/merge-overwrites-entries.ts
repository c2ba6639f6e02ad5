import { mutant } from "../../../harness/workbook/mutant.js";

// Copying the other clock's entries over this one's forgets events only this clock knew
// about, and makes the result depend on which clock was merged into which.
export default mutant({
  mistake: "merge overwrites entries with the other clock's instead of taking the larger",
  file: "vector-clock.ts",
  changes: [
    {
      find: "Math.max(this.get(node), other.get(node))",
      replace: "other.#entries[node] ?? this.get(node)",
    },
  ],
  caughtBy: {
    exercise: "vector-clock",
    test: "merge is commutative: a merged with b equals b merged with a",
  },
});
