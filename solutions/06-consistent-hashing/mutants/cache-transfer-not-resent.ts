import { mutant } from "../../../harness/workbook/mutant.js";

// Sending each transfer once: on a network that loses messages, a lost transfer leaves the
// new owner waiting for ever (or, worse, the keys it carried nowhere).
export default mutant({
  mistake: "sending a transfer once instead of until it is acknowledged",
  file: "sharded-cache.ts",
  changes: [{ find: 'this.#context.setTimer("resend", 60);', replace: "" }],
  caughtBy: {
    exercise: "sharded-cache",
    test: "through a join, a leave and a crash during the transfer, under loss and duplication, no acknowledged write is lost",
  },
});
