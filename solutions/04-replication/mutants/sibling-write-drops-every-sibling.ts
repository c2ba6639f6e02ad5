import { mutant } from "../../../harness/workbook/mutant.js";

// Siblings dropped on write: a write that saw only one of two concurrent values silently discards the other, which is exactly the lost cart item siblings exist to prevent.
export default mutant({
  mistake: "a write replaces every sibling, whatever its context",
  file: "crdts.ts",
  changes: [
    {
      find: `    this.merge([{ value, clock }]);`,
      replace: `    this.#siblings = [{ value, clock }];`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "a write that has seen only some siblings replaces only those",
  },
});
