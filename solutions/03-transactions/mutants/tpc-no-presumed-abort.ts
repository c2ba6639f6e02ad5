import { mutant } from "../../../harness/workbook/mutant.js";

// Ignoring questions about transactions the coordinator has no record of: after a crash before
// the decision, prepared participants ask forever and hold their locks forever.
export default mutant({
  mistake: "the coordinator ignores a query about a transaction it has no record of",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    const decision = record?.decision ?? "abort";',
      replace: "    if (record === undefined) return;\n    const decision = record.decision!;",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a restarted coordinator that had not decided answers a query with abort (presumed abort)",
  },
});
