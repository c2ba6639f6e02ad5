import { mutant } from "../../../harness/workbook/mutant.js";

// Without the term check a follower appends after an entry that is not the leader's: log matching breaks.
export default mutant({
  mistake: "the consistency check looks only for an entry at prevLogIndex, not its term",
  file: "raft.ts",
  changes: [
    { find: "    if (this.#termAt(prevLogIndex) !== prevLogTerm) {", replace: "    if (false) {" },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, AppendEntries receiver rule 2: refuse when the log holds no entry at prevLogIndex with prevLogTerm",
  },
});
