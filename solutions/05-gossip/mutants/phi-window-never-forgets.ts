import { mutant } from "../../../harness/workbook/mutant.js";

// A window that only grows cannot adapt when the network changes, and its memory grows for ever.
export default mutant({
  mistake: "a window that never forgets old intervals",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "if (this.#intervals.length > this.#size) {",
      replace: "if (this.#intervals.length > Infinity) {",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "a full window forgets its oldest interval",
  },
});
