import { mutant } from "../../../harness/workbook/mutant.js";

// Counting votes after the decision: after a no has aborted the transaction, late yes votes from
// every participant make it commit.
export default mutant({
  mistake: "the coordinator keeps counting votes after it decided",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "    if (record === undefined || record.decision !== undefined) return;\n    if (!record.participants",
      replace: "    if (record === undefined) return;\n    if (!record.participants",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a no vote aborts the transaction, and late votes change nothing",
  },
});
