import { mutant } from "../../../harness/workbook/mutant.js";

// Checking the funds but not the locks: two transactions prepare on the same account, and both
// can commit on a balance that covered only one.
export default mutant({
  mistake: "a participant votes yes on an account another prepared transaction holds",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "      if (holder !== undefined && holder !== transaction)\n        return `${write.account} is locked by ${holder}`;\n",
      replace: "      void holder;\n",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a participant votes no on a lock conflict with a prepared transaction",
  },
});
