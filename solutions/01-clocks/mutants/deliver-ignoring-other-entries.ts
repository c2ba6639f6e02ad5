import { mutant } from "../../../harness/workbook/mutant.js";

// Checking only the sender's entry keeps each sender's messages in order (FIFO) but forgets
// what the sender had delivered from others: an answer can still overtake the question.
export default mutant({
  mistake: "deliverability checks the sender's entry and forgets the other entries",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "(node) => node === sender || message.clock.get(node) <= this.#clock.get(node),",
      replace: "() => true,",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "a message that arrives before its cause waits for it",
  },
});
