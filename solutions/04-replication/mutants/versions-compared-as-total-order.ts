import { mutant } from "../../../harness/workbook/mutant.js";

// A total order on version vectors: concurrent writes are ranked by how many updates they have seen, so one silently overwrites the other.
export default mutant({
  mistake: "version vectors compared as a total order (by their sums)",
  file: "crdts.ts",
  changes: [
    {
      find: `  if (aBigger && bBigger) return "concurrent";`,
      replace: `  if (aBigger && bBigger) {\n    const sum = (v: VersionVector) => Object.values(v).reduce((total, count) => total + count, 0);\n    return sum(a) > sum(b) ? "after" : sum(a) < sum(b) ? "before" : "equal";\n  }`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "version vectors compare entry by entry, and concurrent ones are neither before nor after",
  },
});
