import { mutant } from "../../../harness/workbook/mutant.js";

// Delivering every message the moment it arrives is FIFO-less, causality-less broadcast: an
// answer that overtakes its question on the network is shown before the question.
export default mutant({
  mistake: "delivers each message as it arrives, without a hold-back queue",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "this.#holdBack.push(held);\n    this.#deliverWhatIsReady();",
      replace: "this.#deliver(held);",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "no message is delivered before a message that causally precedes it",
  },
});
