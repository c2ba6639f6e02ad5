import { mutant } from "../../../harness/workbook/mutant.js";

// An error is an answer too: only an ok answer is an acknowledgement.
export default mutant({
  mistake: "any answer, an error included, counted as the write's acknowledgement",
  file: "replication-metrics.ts",
  changes: [
    {
      find: `return request.kind === "write" && request.ok && request.answeredMs !== undefined;`,
      replace: `return request.kind === "write" && request.answeredMs !== undefined;`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "availability counts a write acknowledged after the deadline, or answered with an error, as unavailable",
  },
});
