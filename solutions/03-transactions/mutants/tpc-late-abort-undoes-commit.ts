import { mutant } from "../../../harness/workbook/mutant.js";

// Acting on any decision that arrives, in the order it arrives: a late ABORT (a presumed-abort
// answer to an old query, say) overwrites a commit.
export default mutant({
  mistake: "a participant accepts an ABORT after it committed",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    if (record.status !== "prepared") {',
      replace: '    if (record.status !== "prepared" && decision === "commit") {',
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "late, duplicated and crafted messages of other transactions change nothing",
  },
});
