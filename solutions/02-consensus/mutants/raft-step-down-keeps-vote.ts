import { mutant } from "../../../harness/workbook/mutant.js";

// A vote belongs to a term: carried into the next one it refuses every candidate but the old one.
export default mutant({
  mistake: "moving to a newer term keeps the vote cast in the old one",
  file: "raft.ts",
  changes: [
    {
      find: "    this.#currentTerm = term;\n    this.#votedFor = undefined;",
      replace: "    this.#currentTerm = term;",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for all servers: a message of a newer term makes the node a follower in that term, with no vote yet",
  },
});
