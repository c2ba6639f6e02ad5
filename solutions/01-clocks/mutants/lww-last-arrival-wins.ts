import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping whatever arrived last makes each replica's value depend on its network delays: two
// writes that reach two replicas in opposite orders leave them disagreeing for ever.
export default mutant({
  mistake: "the last write to arrive wins instead of the one with the latest timestamp",
  file: "lww-register.ts",
  changes: [
    {
      find: "if (current === undefined || isLater(write, current)) {",
      replace: "if (current === undefined || isLater(write, current) || true) {",
    },
  ],
  caughtBy: { exercise: "lww-register", test: "replicas converge to the same value once quiet" },
});
