import { mutant } from "../../../harness/workbook/mutant.js";

// A write in flight when a read begins is concurrent with it: the read may miss it and still be fresh.
export default mutant({
  mistake:
    "a read judged stale against the latest write attempted before it, not the latest acknowledged",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "write.key === read.key && write.answeredMs! < read.requestMs && !sees(read, write),",
      replace: "write.key === read.key && write.requestMs < read.requestMs && !sees(read, write),",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "a read is stale when it misses a write to its key acknowledged before the read began, and only then",
  },
});
