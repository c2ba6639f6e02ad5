import { mutant } from "../../../harness/workbook/mutant.js";

// A voter that stands right after voting competes with the candidate it just voted for.
export default mutant({
  mistake: "granting a vote does not reset the election timer",
  file: "raft.ts",
  changes: [
    {
      find: "      this.#persistTermAndVote();\n      // Granting a vote is the one thing besides a current leader that resets the timer: a\n      // refused candidate must not be able to keep this node from running itself.\n      this.#resetElectionTimer();",
      replace: "      this.#persistTermAndVote();",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for followers: granting a vote resets the election timer, refusing one does not",
  },
});
