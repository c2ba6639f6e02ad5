import { mutant } from "../../../harness/workbook/mutant.js";

// Without re-arming the timer a split vote is final: nobody stands again and the cluster has no leader.
export default mutant({
  mistake: "a candidate whose election times out does not stand again",
  file: "raft.ts",
  changes: [
    {
      find: "    // If this election splits the vote, the next timeout starts a new one in a later term.\n    this.#resetElectionTimer();\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for candidates: an election that times out starts a new one in the next term",
  },
});
