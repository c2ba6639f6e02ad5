import { mutant } from "../../../harness/workbook/mutant.js";

// Delivering one message can unblock others already waiting. Stopping after the first
// delivery leaves them in the hold-back queue until some later arrival happens to rescan it,
// and after the last arrival, for ever.
export default mutant({
  mistake: "after a delivery, the hold-back queue is not scanned again for messages it unblocked",
  file: "causal-broadcast.ts",
  changes: [
    {
      find: "this.#deliver(message);\n        progress = true;\n",
      replace: "this.#deliver(message);\n",
    },
  ],
  caughtBy: {
    exercise: "causal-broadcast",
    test: "nothing is left in the hold-back queue once the run is quiet",
  },
});
