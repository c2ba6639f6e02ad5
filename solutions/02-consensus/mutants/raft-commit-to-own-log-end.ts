import { mutant } from "../../../harness/workbook/mutant.js";

// Entries past what this request proved may be another leader's: committing them applies commands that were never committed.
export default mutant({
  mistake:
    "a follower caps commitIndex at the end of its own log instead of the last entry the request proved",
  file: "raft.ts",
  changes: [
    {
      find: "    const commitIndex = Math.min(request.leaderCommit, matchIndex);",
      replace: "    const commitIndex = Math.min(request.leaderCommit, this.#lastLogIndex());",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, AppendEntries receiver rule 5: commitIndex = min(leaderCommit, index of last new entry)",
  },
});
