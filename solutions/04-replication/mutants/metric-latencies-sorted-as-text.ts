import { mutant } from "../../../harness/workbook/mutant.js";

// JavaScript's sort() without a comparator compares numbers as text: 10 before 9.
export default mutant({
  mistake: "latencies sorted with sort() and no comparator, as text",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "[...latenciesMs].sort((a, b) => a - b)",
      replace: "[...latenciesMs].sort()",
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "quantiles sort the latencies as numbers, whatever order they arrive in",
  },
});
