import { mutant } from "../../../harness/workbook/mutant.js";

// Adopting the sender's wallMs but starting the counter at 0 stamps the receipt (l, 0), which
// is earlier than the send (l, c) whenever the sender had counted past 0.
export default mutant({
  mistake: "receive() adopts the sender's wallMs but resets logical instead of counting past it",
  file: "hybrid-logical-clock.ts",
  changes: [{ find: "logical = remote.logical + 1;", replace: "logical = 0;" }],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "a message from a clock that is ahead: adopt its time and count past it",
  },
});
