import { mutant } from "../../../harness/workbook/mutant.js";

// Choosing writes by when they were answered puts slow writes from before the window in it and takes slow ones out of it.
export default mutant({
  mistake:
    "write latency counts the writes answered in the window instead of those requested in it",
  file: "replication-metrics.ts",
  changes: [
    {
      find: `.filter((request) => request.requestMs >= fromMs && request.requestMs < toMs)
    .filter(isAcknowledgedWrite)`,
      replace: `.filter(isAcknowledgedWrite)
    .filter((request) => request.answeredMs! >= fromMs && request.answeredMs! < toMs)`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "write latency counts only the acknowledged writes requested in the window",
  },
});
