import { mutant } from "../../../harness/workbook/mutant.js";

// Asking "is this newer than what I have from the sender?" instead of "is it the next one?"
// lets a sender's third message overtake its second.
export default mutant({
  mistake: "the sender's entry is checked with <= (any newer message) instead of = local + 1",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "if (message.clock.get(sender) !== this.#clock.get(sender) + 1) return false;",
      replace: "if (message.clock.get(sender) <= this.#clock.get(sender)) return false;",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "messages from one sender are delivered in the order they were sent",
  },
});
