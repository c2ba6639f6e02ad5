import { mutant } from "../../../harness/workbook/mutant.js";

// Dividing by the writes that were answered leaves out the ones that never were: the outage
// itself. A partition where nothing answers would score "no data" instead of 0 %.
export default mutant({
  mistake: "availability divides by the writes that were answered, not by every write requested",
  file: "replication-metrics.ts",
  changes: [
    {
      find: `      request.kind === "write" && request.requestMs >= fromMs && request.requestMs < toMs,`,
      replace: `      request.kind === "write" &&
      request.answeredMs !== undefined &&
      request.requestMs >= fromMs &&
      request.requestMs < toMs,`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "availability counts a write acknowledged after the deadline, or answered with an error, as unavailable",
  },
});
