import { mutant } from "../../../harness/workbook/mutant.js";

// Asking only the coordinator: with it down, a participant stays in doubt even when a peer
// already knows the outcome, and its locks stay held.
export default mutant({
  mistake: "an in-doubt participant never asks its peers",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "    if (this.#options.termination === true) {\n      for (const peer",
      replace: "    if (this.#options.termination === false) {\n      for (const peer",
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "an in-doubt participant asks its peers and adopts the decision one of them knows",
  },
});
