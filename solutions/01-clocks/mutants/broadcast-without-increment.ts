import { mutant } from "../../../harness/workbook/mutant.js";

// A broadcast stamped without counting itself looks, to every receiver, like a message it has
// already delivered: it is dropped as a duplicate and never delivered anywhere else.
export default mutant({
  mistake: "broadcast forgets to increment the sender's own entry before stamping the message",
  file: "causal-broadcast.ts",
  changes: [{ find: "this.#clock = this.#clock.increment(this.#context.id);\n", replace: "" }],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "every message is delivered exactly once, in causal order",
  },
});
