import { mutant } from "../../../harness/workbook/mutant.js";

// A follower that counts a late vote for itself becomes a second leader of the term it conceded.
export default mutant({
  mistake: "counts votes that arrive after the node stopped being a candidate",
  file: "raft.ts",
  changes: [
    {
      find: 'this.#role !== "candidate" || reply.term !== this.#currentTerm || !reply.voteGranted',
      replace: "reply.term !== this.#currentTerm || !reply.voteGranted",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for candidates: a vote that arrives after it stopped being a candidate does not make it leader",
  },
});
