import { mutant } from "../../../harness/workbook/mutant.js";

// A new owner that serves before the keys moving to it have arrived answers reads with
// nothing, and a write it takes then is fighting the transfer still on its way.
export default mutant({
  mistake: "serving a moved key before its transfer has arrived",
  file: "sharded-cache.ts",
  changes: [{ find: 'if (waiting.length > 0) return "not-ready";', replace: "" }],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a new owner answers not-ready until every previous member's transfer has arrived",
  },
});
