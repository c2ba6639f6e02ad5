import { mutant } from "../../../harness/workbook/mutant.js";

// Resetting the election timer on every RequestVote, granted or not: a node whose log is too
// far behind to win keeps standing, and each refused request holds off everyone else's election.
export default mutant({
  mistake: "resets the election timer on every RequestVote, even one it refuses",
  file: "raft.ts",
  changes: [
    {
      find: '    this.#context.send(from, { type: "RequestVoteReply", term: this.#currentTerm, voteGranted });',
      replace:
        '    this.#resetElectionTimer();\n    this.#context.send(from, { type: "RequestVoteReply", term: this.#currentTerm, voteGranted });',
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "a candidate whose log is behind cannot keep the others from electing a leader",
  },
});
