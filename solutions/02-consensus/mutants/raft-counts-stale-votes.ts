import { mutant } from "../../../harness/workbook/mutant.js";

// A vote for an earlier election, delayed past an election timeout, is counted for the current one: two leaders in one term.
export default mutant({
  mistake: "counts a granted vote that was sent in an older term",
  file: "raft.ts",
  changes: [
    {
      find: 'this.#role !== "candidate" || reply.term !== this.#currentTerm || !reply.voteGranted',
      replace: 'this.#role !== "candidate" || !reply.voteGranted',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for candidates: a vote granted in an older term does not count",
  },
});
