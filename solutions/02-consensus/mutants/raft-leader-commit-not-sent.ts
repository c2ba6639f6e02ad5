import { mutant } from "../../../harness/workbook/mutant.js";

// Leaving leaderCommit out of AppendEntries (always 0): the leader commits, but its followers
// never learn it and never apply anything.
export default mutant({
  mistake: "AppendEntries carries leaderCommit 0 instead of the leader's commitIndex",
  file: "raft.ts",
  changes: [{ find: "      leaderCommit: this.#commitIndex,", replace: "      leaderCommit: 0," }],
  caughtBy: {
    exercise: "raft-replication",
    test: "the leader's proposals are committed and applied on every node, in order",
  },
});
