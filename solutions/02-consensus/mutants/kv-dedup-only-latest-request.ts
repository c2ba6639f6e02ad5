import { mutant } from "../../../harness/workbook/mutant.js";

// Recognising only a repeat of the client's latest request as a duplicate: a copy of an older
// request that the network delivers late, after the client has moved on, is applied again.
export default mutant({
  mistake:
    "duplicate detection compares sequence numbers for equality, so a late duplicate of an older request is applied again",
  file: "raft-kv.ts",
  changes: [
    {
      find: "if (session === undefined || sequence > session.sequence) {",
      replace: "if (session === undefined || sequence !== session.sequence) {",
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "a late duplicate of an old request is not applied again",
  },
});
