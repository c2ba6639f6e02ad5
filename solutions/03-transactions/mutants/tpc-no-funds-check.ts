import { mutant } from "../../../harness/workbook/mutant.js";

// Checking each write alone: two withdrawals from one account in one transaction both pass.
export default mutant({
  mistake: "a participant checks each withdrawal separately, not their sum",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "      change.set(write.account, (change.get(write.account) ?? 0) + write.amount);",
      replace:
        "      change.set(write.account, Math.min(change.get(write.account) ?? 0, write.amount));",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a participant votes no when an account cannot cover a withdrawal, and locks nothing",
  },
});
