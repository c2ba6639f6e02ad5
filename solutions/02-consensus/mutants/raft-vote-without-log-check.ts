import { mutant } from "../../../harness/workbook/mutant.js";

// Voting without the election restriction of section 5.4.1: a candidate that missed committed
// entries can win, and then overwrites them on every follower.
export default mutant({
  mistake: "grants a vote without checking that the candidate's log is at least as up-to-date",
  file: "raft.ts",
  changes: [
    {
      find: " &&\n      this.#isAtLeastAsUpToDate(request.lastLogTerm, request.lastLogIndex);",
      replace: ";",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "a node refuses its vote to a candidate whose log is behind its own",
  },
});
