import { mutant } from "../../../harness/workbook/mutant.js";

// Cutting the log right after prevLogIndex on every AppendEntries, matching or not: a delayed
// request erases entries that a later one added and the leader already counted as replicated.
export default mutant({
  mistake:
    "truncates the log after prevLogIndex on every AppendEntries, even when the entries match",
  file: "raft.ts",
  changes: [
    {
      find: "    for (const [offset, entry] of entries.entries()) {\n      const index = prevLogIndex + 1 + offset;\n      if (index <= this.#lastLogIndex() && this.#termAt(index) === entry.term) continue;\n      if (index <= this.#lastLogIndex()) this.#truncateLog(index - 1);\n      this.#appendToLog(entries.slice(offset));\n      break;\n    }\n",
      replace: "    this.#truncateLog(prevLogIndex);\n    this.#appendToLog(entries);\n",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "a late, reordered AppendEntries does not erase entries the follower acknowledged",
  },
});
