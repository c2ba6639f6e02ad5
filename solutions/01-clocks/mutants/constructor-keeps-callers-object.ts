import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping the caller's object instead of a copy lets whoever built the clock change it later,
// for example by reusing the object for the next message.
export default mutant({
  mistake: "the constructor keeps the object passed in instead of copying it",
  file: "vector-clock.ts",
  changes: [
    {
      find: "this.#entries = copy;",
      replace: "this.#entries = entries as Record<NodeId, number>;",
    },
  ],
  caughtBy: {
    exercise: "vector-clock",
    test: "changing the object passed to the constructor does not change the clock",
  },
});
