import { mutant } from "../../../harness/workbook/mutant.js";

// Without a duplicate check, the network's second copy of a message joins the hold-back
// queue. Its sender's entry is never again "the next one", so it waits there for ever.
export default mutant({
  mistake: "no duplicate detection: a second copy of a message is held back like a new one",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "    if (this.#isDuplicate(held)) {\n      this.#context.note(`drop a copy of ${from}'s message #${held.clock.get(from)}`);\n      return;\n    }\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "a duplicated message is delivered once and never left waiting",
  },
});
