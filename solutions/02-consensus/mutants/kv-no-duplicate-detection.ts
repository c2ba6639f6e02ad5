import { mutant } from "../../../harness/workbook/mutant.js";

// Applying every committed entry as if it were new: a client whose answer was lost sends the
// same append again, both copies reach the log, and the value is appended twice.
export default mutant({
  mistake: "no duplicate detection: a retried request is applied again",
  file: "raft-kv.ts",
  changes: [
    {
      find: "if (session === undefined || sequence > session.sequence) {",
      replace: "if (true) {",
    },
  ],
  caughtBy: { exercise: "raft-kv", test: "a retried append is applied exactly once" },
});
