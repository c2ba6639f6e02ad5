import { mutant } from "../../../harness/workbook/mutant.js";

// Siblings dropped on read: the register keeps both concurrent writes, but a read shows only the
// last one, so the client never sees the conflict it is meant to resolve (Dynamo's cart loses an
// item the moment a client writes back what it read).
export default mutant({
  mistake: "a read returns one sibling, the last stored, instead of every sibling",
  file: "crdts.ts",
  changes: [
    {
      find: `      values: this.#siblings.map((sibling) => sibling.value).sort(),`,
      replace: `      values: this.#siblings.slice(-1).map((sibling) => sibling.value),`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "Dynamo's figure 3: concurrent writes become siblings until a write that has seen both",
  },
});
