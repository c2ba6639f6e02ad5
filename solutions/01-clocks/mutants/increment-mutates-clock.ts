import { mutant } from "../../../harness/workbook/mutant.js";

// Bumping the entry in place changes a clock that someone else may hold: a timestamp already
// put on a message or in a log would move with it.
export default mutant({
  mistake: "increment changes the clock it is called on instead of returning a new one",
  file: "vector-clock.ts",
  changes: [
    {
      find: "return new VectorClock({ ...this.#entries, [node]: this.get(node) + 1 });",
      replace:
        "this.#entries[node] = this.get(node) + 1;\n    return new VectorClock(this.#entries);",
    },
  ],
  caughtBy: {
    exercise: "vector-clock",
    test: "increment returns a new clock and leaves the original unchanged",
  },
});
