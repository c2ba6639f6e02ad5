import { mutant } from "../../../harness/workbook/mutant.js";

// A read that was never answered (or answered with an error) returned nothing: it cannot be
// stale, it was unavailable.
export default mutant({
  mistake: "reads that were never answered counted as stale reads",
  file: "replication-metrics.ts",
  changes: [
    {
      find: `const reads = requests.filter((request) => request.kind === "read" && request.ok);`,
      replace: `const reads = requests.filter((request) => request.kind === "read");`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "a read is stale when it misses a write to its key acknowledged before the read began, and only then",
  },
});
