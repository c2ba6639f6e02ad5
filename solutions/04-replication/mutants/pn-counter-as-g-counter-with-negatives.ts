import { mutant } from "../../../harness/workbook/mutant.js";

// A decrement lowers the node's count, but merge keeps the max of each count: the first merge with a state from before the decrement undoes it.
export default mutant({
  mistake: "a PN-counter is one G-counter that decrements lower",
  file: "crdts.ts",
  changes: [
    {
      find: `    this.#decrements.increment(node, amount);`,
      replace: `    (this.#increments.counts as Record<NodeId, number>)[node] =\n      (this.#increments.counts[node] ?? 0) - amount;`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "a PN-counter keeps decrements through merges with older states",
  },
});
