import { mutant } from "../../../harness/workbook/mutant.js";

// Merge by sum: receiving the same state twice counts its increments twice. Merge must be idempotent.
export default mutant({
  mistake: "a G-counter merges by adding the counts instead of taking the max",
  file: "crdts.ts",
  changes: [
    {
      find: `      this.#counts[node] = Math.max(this.#counts[node] ?? 0, count);`,
      replace: `      this.#counts[node] = (this.#counts[node] ?? 0) + count;`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "a G-counter counts every node's increments once, however often states are merged",
  },
});
