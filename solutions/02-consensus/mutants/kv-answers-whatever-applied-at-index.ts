import { mutant } from "../../../harness/workbook/mutant.js";

// Answering the client waiting on an index with whatever entry was committed there, without
// checking it is the entry this node proposed: a deposed leader's entry can be replaced by
// another leader's, and the client is told that its lost request succeeded.
export default mutant({
  mistake:
    "a waiting client is answered for whichever entry is applied at its index, even another leader's",
  file: "raft-kv.ts",
  changes: [
    {
      find: "    if (waiting.term !== entry.term) {",
      replace: "    if (false) {",
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "a client is never answered for another leader's entry at the index of its request",
  },
});
