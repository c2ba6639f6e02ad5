import { mutant } from "../../../harness/workbook/mutant.js";

// Handing out the clock's own latest timestamp: a caller that changes what it got (or keeps it
// in a record it later updates) changes the clock, which then issues times out of order.
export default mutant({
  mistake: "the clock returns its own latest timestamp object instead of a copy",
  file: "hybrid-logical-clock.ts",
  changes: [{ find: "return { ...timestamp };", replace: "return timestamp;" }],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "changing a timestamp the clock returned does not change the clock",
  },
});
