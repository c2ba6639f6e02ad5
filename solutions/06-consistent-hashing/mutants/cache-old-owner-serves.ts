import { mutant } from "../../../harness/workbook/mutant.js";

// Without the ownership check the old owner keeps serving a key after the ring of its epoch
// gave it away, and two nodes accept writes for that key in one epoch.
export default mutant({
  mistake: "serving from the old owner after the epoch moved the key",
  file: "sharded-cache.ts",
  changes: [
    {
      find: 'if (this.#ring.nodeFor(key) !== this.#context.id) return "wrong-owner";',
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a node refuses a key it does not own in its epoch, even one it owned before",
  },
});
