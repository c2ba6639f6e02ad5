import { mutant } from "../../../harness/workbook/mutant.js";

// Latencies arrive in the order requests finish; the rank is only meaningful in sorted order.
export default mutant({
  mistake: "quantiles taken by rank from the latencies as they arrived, unsorted",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "const sorted = [...latenciesMs].sort((a, b) => a - b);",
      replace: "const sorted = [...latenciesMs];",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "quantiles sort the latencies as numbers, whatever order they arrive in",
  },
});
