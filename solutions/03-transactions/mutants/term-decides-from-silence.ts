import { mutant } from "../../../harness/workbook/mutant.js";

// Giving up after a while: with termination on, a participant that has heard no answer for two
// seconds aborts. Silence is not an answer; the coordinator may have committed.
export default mutant({
  mistake: "an in-doubt participant aborts after hearing nothing for a while",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    if (kind === "ask" && this.status(transaction) === "prepared") this.#askForOutcome(transaction);',
      replace:
        '    if (kind === "ask" && this.status(transaction) === "prepared") {\n      if (this.#options.termination === true && this.#context.monotonicNow() > 2_000)\n        this.#onDecision(this.#context.id, transaction, "abort");\n      else this.#askForOutcome(transaction);\n    }',
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "an in-doubt participant never decides from silence or from peers that are in doubt too",
  },
});
