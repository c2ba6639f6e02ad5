import { mutant } from "../../../harness/workbook/mutant.js";

// Counting answers without looking at the attempt: a late "locked" of an aborted attempt is
// taken for the new one, whose locks were never granted.
export default mutant({
  mistake: "the client counts answers of earlier attempts toward the current one",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: "      message.attempt !== current.attempt ||\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "a retry never reuses an old attempt's answers",
  },
});
