import { mutant } from "../../../harness/workbook/mutant.js";

// A client that gave up after the deadline saw a failure, however the write ended later.
export default mutant({
  mistake: "a write acknowledged after the client's deadline counted as available",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "(write) => isAcknowledgedWrite(write) && write.answeredMs! - write.requestMs <= deadlineMs,",
      replace: "(write) => isAcknowledgedWrite(write),",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "availability counts a write acknowledged after the deadline, or answered with an error, as unavailable",
  },
});
