import { mutant } from "../../../harness/workbook/mutant.js";

// Taking any reply for the current step: a late duplicate of the flight's answer is read as the
// hotel's, and the saga completes without a room.
export default mutant({
  mistake: "the orchestrator acts on a reply without checking which step it answers",
  file: "saga.ts",
  changes: [
    {
      find: "    if (record === undefined || message.step !== record.step) return;",
      replace: "    if (record === undefined) return;",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "no step takes effect twice however often it is retried or duplicated",
  },
});
