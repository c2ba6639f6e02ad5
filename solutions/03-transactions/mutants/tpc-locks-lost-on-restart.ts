import { mutant } from "../../../harness/workbook/mutant.js";

// The prepared record survives the crash, but the locks and the questions do not: another
// transaction can write an account while the first is in doubt, and nobody asks the outcome.
export default mutant({
  mistake: "a restarted participant does not take back the locks of its prepared transactions",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '      if (record.status !== "prepared") continue;\n      for (const write of record.writes) this.#locks.set(write.account, transaction);\n      this.#askForOutcome(transaction);\n',
      replace: "      void record;\n",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a restarted participant recovers prepared from its log and asks for the outcome",
  },
});
