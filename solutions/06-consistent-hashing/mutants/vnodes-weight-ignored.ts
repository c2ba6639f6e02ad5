import { mutant } from "../../../harness/workbook/mutant.js";

// Recording the weight but giving every node V tokens gives the big machine the same share as
// the small ones.
export default mutant({
  mistake: "weights ignored: every node gets V tokens",
  file: "vnode-ring.ts",
  changes: [
    {
      find: "Math.max(1, Math.round(this.#tokensPerNode * weight))",
      replace: "this.#tokensPerNode",
    },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "a node of weight 2 owns about twice the share of a node of weight 1",
  },
});
