import { mutant } from "../../../harness/workbook/mutant.js";

// Telling a copy from a new message by its text: the second of two broadcasts that say the
// same thing is dropped as a "copy", and the sender's later messages wait for it for ever.
export default mutant({
  mistake: "a copy is recognised by its payload instead of the sender's entry in its clock",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "    const sequence = message.clock.get(message.from);\n    if (sequence <= this.#clock.get(message.from)) return true;\n    return this.#holdBack.some(\n      (waiting) => waiting.from === message.from && waiting.clock.get(waiting.from) === sequence,\n    );",
      replace:
        "    const same = (other: Delivery): boolean =>\n      other.from === message.from && other.payload === message.payload;\n    return this.#delivered.some(same) || this.#holdBack.some(same);",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "the same payload broadcast twice is delivered twice: a copy is told by its clock, not its payload",
  },
});
