import { mutant } from "../../../harness/workbook/mutant.js";

// Handing out the private object lets any caller rewrite the clock's history.
export default mutant({
  mistake: "toJSON returns the clock's own entries object instead of a copy",
  file: "vector-clock.ts",
  changes: [{ find: "return { ...this.#entries };", replace: "return this.#entries;" }],
  caughtBy: {
    exercise: "vector-clock",
    test: "changing the object returned by toJSON does not change the clock",
  },
});
