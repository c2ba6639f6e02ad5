import { mutant } from "../../../harness/workbook/mutant.js";

// A duplicated AppendEntries appends its entries a second time, after the first copy.
export default mutant({
  mistake: "appends every entry of a request, even those already in the log",
  file: "raft.ts",
  changes: [
    {
      find: "      if (index <= this.#lastLogIndex() && this.#termAt(index) === entry.term) continue;\n      if (index <= this.#lastLogIndex()) this.#truncateLog(index - 1);",
      replace:
        "      if (index <= this.#lastLogIndex() && this.#termAt(index) !== entry.term)\n        this.#truncateLog(index - 1);",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, AppendEntries receiver rule 4: entries already in the log are not appended again",
  },
});
