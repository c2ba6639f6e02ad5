import { mutant } from "../../../harness/workbook/mutant.js";

// Replacing a conflicting entry in place but keeping everything after it: the entries that
// follow came from the same deposed leader, and now sit after an entry they never followed.
export default mutant({
  mistake: "overwrites a conflicting entry but does not delete the entries after it",
  file: "raft.ts",
  changes: [
    {
      find: "      if (index <= this.#lastLogIndex()) this.#truncateLog(index - 1);\n",
      replace:
        "      if (index <= this.#lastLogIndex()) {\n        this.#log[index - 1] = entry;\n        continue;\n      }\n",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "a partitioned leader's uncommitted entries are replaced when it rejoins",
  },
});
