import { mutant } from "../../../harness/workbook/mutant.js";

// Every proposal waits up to a heartbeat interval before it even leaves the leader.
export default mutant({
  mistake: "a leader sends a proposal only with its next heartbeat",
  file: "raft.ts",
  changes: [
    {
      find: "    // Send now rather than at the next heartbeat: a client waits for this entry.\n    this.#broadcastAppendEntries();\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, rules for leaders: a proposal is appended to the leader's log and sent to every follower at once",
  },
});
