import { mutant } from "../../../harness/workbook/mutant.js";

// Ordering by the counter first: (1000, 9) would come after (1001, 0), though the counter only
// orders events that share a wallMs.
export default mutant({
  mistake: "compareTimestamps compares the logical counter before wallMs",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;\n  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;",
      replace:
        "  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;\n  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "compareTimestamps orders by wall time, then by the logical counter",
  },
});
