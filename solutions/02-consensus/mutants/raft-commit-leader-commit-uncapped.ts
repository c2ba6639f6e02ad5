import { mutant } from "../../../harness/workbook/mutant.js";

// Taking the leader's commitIndex as it comes: a follower whose log is behind, or holds another
// leader's entries past what this request proved, commits entries it must not.
export default mutant({
  mistake: "a follower sets commitIndex to leaderCommit, uncapped",
  file: "raft.ts",
  changes: [
    {
      find: "    const commitIndex = Math.min(request.leaderCommit, matchIndex);",
      replace: "    const commitIndex = request.leaderCommit;",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, AppendEntries receiver rule 5: commitIndex = min(leaderCommit, index of last new entry)",
  },
});
