import { mutant } from "../../../harness/workbook/mutant.js";

// The mean is pulled up by the tail; the median is the latency half the requests beat.
export default mutant({
  mistake: "p50 taken as the mean latency",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "return { p50Ms: nearestRank(0.5), p99Ms: nearestRank(0.99) };",
      replace: `return {
    p50Ms: sorted.reduce((sum, latency) => sum + latency, 0) / sorted.length,
    p99Ms: nearestRank(0.99),
  };`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "p50 is the nearest-rank median of the latencies, not their mean",
  },
});
