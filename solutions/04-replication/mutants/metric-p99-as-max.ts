import { mutant } from "../../../harness/workbook/mutant.js";

// The maximum is one unlucky request; the 99th percentile is the latency 1 % of requests exceed.
export default mutant({
  mistake: "p99 taken as the maximum latency",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "return { p50Ms: nearestRank(0.5), p99Ms: nearestRank(0.99) };",
      replace: "return { p50Ms: nearestRank(0.5), p99Ms: sorted.at(-1)! };",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "p99 is the nearest-rank 99th percentile of the latencies, not the maximum",
  },
});
