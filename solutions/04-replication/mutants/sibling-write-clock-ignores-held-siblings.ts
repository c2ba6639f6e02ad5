import { mutant } from "../../../harness/workbook/mutant.js";

// Counting the node's next update from the client's context alone: a write with an old context reuses a clock an earlier write of the same node had, and one of them is lost as a duplicate or as superseded.
export default mutant({
  mistake:
    "a write's clock counts from the context only, not from the node's updates the register holds",
  file: "crdts.ts",
  changes: [
    {
      find: `      context[node] ?? 0,\n      ...this.#siblings.map((sibling) => sibling.clock[node] ?? 0),`,
      replace: `      context[node] ?? 0,`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "a write that has seen only some siblings replaces only those",
  },
});
