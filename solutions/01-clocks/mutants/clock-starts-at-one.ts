import { mutant } from "../../../harness/workbook/mutant.js";

// Counting the clock's creation as an event: every timestamp is one too high, and two clocks
// that have seen nothing disagree with the paper's C = 0.
export default mutant({
  mistake: "a new clock starts at 1 instead of 0",
  file: "lamport-clock.ts",
  changes: [{ find: "  #time = 0;", replace: "  #time = 1;" }],
  caughtBy: { exercise: "lamport-clock", test: "a new clock reads zero" },
});
