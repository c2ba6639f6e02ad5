import { mutant } from "../../../harness/workbook/mutant.js";

// A prepared participant that grows tired of waiting and aborts breaks its promise: the
// coordinator may already have decided commit on the strength of its yes.
export default mutant({
  mistake: "a participant that voted yes aborts on its own when no decision comes",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: 'if (kind === "ask" && this.status(transaction) === "prepared") this.#askForOutcome(transaction);',
      replace:
        'if (kind === "ask" && this.status(transaction) === "prepared")\n      this.#onDecision(this.#context.id, transaction, "abort");',
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a participant that voted yes never aborts on its own, and keeps asking the coordinator",
  },
});
