import { mutant } from "../../../harness/workbook/mutant.js";

// Two logs that end in the same term differ in length: the shorter one may lack a committed entry.
export default mutant({
  mistake: "compares logs by last term alone in the up-to-date check",
  file: "raft.ts",
  changes: [
    { find: "    return lastLogIndex >= this.#lastLogIndex();", replace: "    return true;" },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, RequestVote receiver rule 2: a vote only for a log at least as up-to-date (section 5.4.1)",
  },
});
