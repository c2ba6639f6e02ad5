import { mutant } from "../../../harness/workbook/mutant.js";

// Counted over the whole run, the minutes before and after the partition drown the outage.
export default mutant({
  mistake: "availability counted over the whole run instead of the partition window",
  file: "replication-metrics.ts",
  changes: [
    {
      find: `request.kind === "write" && request.requestMs >= fromMs && request.requestMs < toMs,`,
      replace: `request.kind === "write",`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "availability counts the writes requested during the partition, and only those",
  },
});
