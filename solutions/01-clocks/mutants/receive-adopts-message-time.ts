import { mutant } from "../../../harness/workbook/mutant.js";

// Jumping to the message's time plus one, forgetting the clock's own: a message older than the
// clock sends the clock backwards.
export default mutant({
  mistake: "receive sets the clock to the message's timestamp + 1, ignoring its own time",
  file: "lamport-clock.ts",
  changes: [
    {
      find: "    this.#time = Math.max(this.#time, timestamp) + 1;",
      replace: "    this.#time = timestamp + 1;",
    },
  ],
  caughtBy: {
    exercise: "lamport-clock",
    test: "a receive moves the clock past its own time when the message is older",
  },
});
