import { mutant } from "../../../harness/workbook/mutant.js";

// With no rule for equal timestamps, each replica keeps whichever of two tied writes it saw
// first: the writers each keep their own, and the replicas never agree.
export default mutant({
  mistake: "no tie-break on equal timestamps: the write already held is kept",
  file: "lww-register.ts",
  changes: [{ find: "return write.writer > current.writer;", replace: "return false;" }],
  caughtBy: {
    exercise: "lww-register",
    test: "concurrent writes resolve the same way on every replica",
  },
});
