import { mutant } from "../../../harness/workbook/mutant.js";

// Followers that ignore heartbeats start elections under a healthy leader, over and over.
export default mutant({
  mistake: "AppendEntries from the current leader does not reset the election timer",
  file: "raft.ts",
  changes: [
    {
      find: "    this.#leaderId = request.leaderId;\n    this.#resetElectionTimer();",
      replace: "    this.#leaderId = request.leaderId;",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for followers: AppendEntries from the leader of the current term resets the election timer",
  },
});
