import { mutant } from "../../../harness/workbook/mutant.js";

// A write acknowledged at the very instant a read begins did not finish before it: the two are
// concurrent, and the read may miss it and still be fresh. "Before" is strict.
export default mutant({
  mistake: "a read judged stale against a write acknowledged at the instant the read began",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "write.key === read.key && write.answeredMs! < read.requestMs && !sees(read, write),",
      replace:
        "write.key === read.key && write.answeredMs! <= read.requestMs && !sees(read, write),",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "a read is stale when it misses a write to its key acknowledged before the read began, and only then",
  },
});
