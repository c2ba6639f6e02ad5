import { mutant } from "../../../harness/workbook/mutant.js";

// A longer log is not a newer one: a candidate with many entries of an old term can win and overwrite committed entries.
export default mutant({
  mistake: "compares logs by length alone in the up-to-date check",
  file: "raft.ts",
  changes: [
    {
      find: "    if (lastLogTerm !== this.#lastLogTerm()) return lastLogTerm > this.#lastLogTerm();\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, RequestVote receiver rule 2: a vote only for a log at least as up-to-date (section 5.4.1)",
  },
});
