import { mutant } from "../../../harness/workbook/mutant.js";

// Waiting for every conflicting lock, whatever the ages: two transfers in opposite directions
// each wait for the other, and only timeouts get them out.
export default mutant({
  mistake: "a shard makes every conflicting request wait, with no deadlock-avoidance rule",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: "    if (conflicts.every((holder) => request.timestamp < holder.timestamp)) {",
      replace: "    if (conflicts.length > 0) {",
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "transfers in opposite directions all finish: no deadlock",
  },
});
