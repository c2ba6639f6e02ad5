import { mutant } from "../../../harness/workbook/mutant.js";

// Ignoring the follower's conflict hints and moving nextIndex back one entry per refusal: a
// follower with a long run of conflicting entries takes one round trip per entry to repair.
export default mutant({
  mistake:
    "backs nextIndex up one entry per refused AppendEntries, ignoring conflictTerm and conflictIndex",
  file: "raft.ts",
  changes: [
    {
      find: "    let nextIndex = reply.conflictIndex;\n    if (reply.conflictTerm !== 0) {\n      const lastOfTerm = this.#log.findLastIndex((entry) => entry.term === reply.conflictTerm) + 1;\n      if (lastOfTerm > 0) nextIndex = lastOfTerm + 1;\n    }\n",
      replace: "    let nextIndex = this.#nextIndex.get(from)! - 1;\n",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "a follower far behind, with many conflicting entries, catches up in a few rounds",
  },
});
