import { mutant } from "../../../harness/workbook/mutant.js";

// A success from an older term is about another leader's entries at those indexes: counting it commits what no majority holds.
export default mutant({
  mistake: "a leader counts an AppendEntriesReply from an older term",
  file: "raft.ts",
  changes: [
    {
      find: 'if (this.#role === "leader" && message.term === this.#currentTerm) {',
      replace: 'if (this.#role === "leader") {',
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, rules for leaders: an AppendEntriesReply from an older term is not counted",
  },
});
