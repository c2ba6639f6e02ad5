import { mutant } from "../../../harness/workbook/mutant.js";

// Stamping a message with the current time without advancing makes the send share a
// timestamp with the event before it, so the order between them is lost.
export default mutant({
  mistake: "send stamps the message with the current time without incrementing first",
  file: "lamport-clock.ts",
  changes: [
    {
      find: "    this.#time += 1;\n    return this.#time;\n  }\n\n  /** Records receiving",
      replace: "    return this.#time;\n  }\n\n  /** Records receiving",
    },
  ],
  caughtBy: {
    exercise: "lamport-clock",
    test: "sending is an event: the message carries a timestamp later than everything before it",
  },
});
