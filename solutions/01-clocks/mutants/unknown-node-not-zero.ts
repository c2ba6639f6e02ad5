import { mutant } from "../../../harness/workbook/mutant.js";

// Reading a missing entry straight from the object gives undefined, not zero: every node the
// clock has not heard from yet is a hole in the arithmetic.
export default mutant({
  mistake: "get returns undefined for a node the clock has never seen instead of zero",
  file: "vector-clock.ts",
  changes: [{ find: "return this.#entries[node] ?? 0;", replace: "return this.#entries[node]!;" }],
  caughtBy: { exercise: "vector-clock", test: "get of a node the clock has never seen is zero" },
});
