import { mutant } from "../../../harness/workbook/mutant.js";

// Merging without checking tags: every exchange of states duplicates the adds, so the state grows forever and merge(a, a) is not a.
export default mutant({
  mistake: "an OR-set merge appends adds it already has",
  file: "crdts.ts",
  changes: [
    {
      find: `      if (tags.has(add.tag)) continue;`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "merge is commutative, associative and idempotent for every type",
  },
});
