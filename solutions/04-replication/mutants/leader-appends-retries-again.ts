import { mutant } from "../../../harness/workbook/mutant.js";

// Deduplication only of requests already applied: a retry that arrives while the first copy waits to commit goes in the log a second time.
export default mutant({
  mistake: "a retried request that is still in the log is appended again",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (!pending) {`,
      replace: `    if (true) {`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a retried request goes in the log once and is applied once",
  },
});
