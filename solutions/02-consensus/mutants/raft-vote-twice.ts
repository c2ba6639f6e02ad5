import { mutant } from "../../../harness/workbook/mutant.js";

// Granting every candidate that asks, without checking whom this node already voted for in the
// term: two candidates of one term can both collect a majority, and both lead it.
export default mutant({
  mistake:
    "votes for any candidate with an up-to-date log, even after voting for another in the same term",
  file: "raft.ts",
  changes: [
    {
      find: "(this.#votedFor === undefined || this.#votedFor === request.candidateId) &&",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "a node votes for at most one candidate per term",
  },
});
