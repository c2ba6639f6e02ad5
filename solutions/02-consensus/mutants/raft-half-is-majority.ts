import { mutant } from "../../../harness/workbook/mutant.js";

// Two halves of four nodes do not overlap: each can elect a leader and commit different entries.
export default mutant({
  mistake: "counts half of an even cluster as a majority",
  file: "raft.ts",
  changes: [
    {
      find: "    return count * 2 > this.#context.peers.length + 1;",
      replace: "    return count * 2 >= this.#context.peers.length + 1;",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, rules for leaders: an entry is committed once a majority holds it, and two of four is no majority",
  },
});
