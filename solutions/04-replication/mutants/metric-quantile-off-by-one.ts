import { mutant } from "../../../harness/workbook/mutant.js";

// Rank ⌈q·n⌉ is counted from 1; used as an array index it picks the next latency up (and past the end for p99 of a few).
export default mutant({
  mistake: "the nearest rank used as a zero-based index, one place too far",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!",
      replace: "sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length))]!",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "p50 is the nearest-rank median of the latencies, not their mean",
  },
});
