import { mutant } from "../../../harness/workbook/mutant.js";

// A lost reply is retried: refusing the candidate already voted for can leave a term without a leader.
export default mutant({
  mistake: "refuses a candidate that asks again for the vote it already has",
  file: "raft.ts",
  changes: [
    {
      find: "(this.#votedFor === undefined || this.#votedFor === request.candidateId) &&",
      replace: "this.#votedFor === undefined &&",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, RequestVote receiver rule 2: one vote per term, and the same candidate asking again gets it again",
  },
});
