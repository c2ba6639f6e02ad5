import { mutant } from "../../../harness/workbook/mutant.js";

// Applying every COMMIT that arrives: the coordinator re-sends COMMIT until it is acknowledged,
// and the network duplicates, so the writes are applied again.
export default mutant({
  mistake: "a participant applies a duplicate COMMIT a second time",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    if (record.status !== "prepared") {',
      replace:
        '    if (record.status !== "prepared" && !(record.status === "committed" && decision === "commit")) {',
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a commit applies the writes exactly once, however often it arrives",
  },
});
