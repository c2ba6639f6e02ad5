import { mutant } from "../../../harness/workbook/mutant.js";

// Timing from the resend that was answered hides the time a client spent on a dead leader or a redirect: exactly the failover cost the measurement is for.
export default mutant({
  mistake: "write latency measured from the client's last resend instead of its first request",
  file: "replication-metrics.ts",
  changes: [
    {
      find: ".map((request) => request.answeredMs! - request.requestMs);",
      replace: ".map((request) => request.answeredMs! - request.lastSentMs);",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "a write's latency runs from the client's first request to its acknowledgement",
  },
});
