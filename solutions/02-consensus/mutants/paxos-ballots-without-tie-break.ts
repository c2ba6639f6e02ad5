import { mutant } from "../../../harness/workbook/mutant.js";

// Numbering ballots by round alone gives every proposer's first attempt ballot 1: two proposers
// can each gather promises for "ballot 1" and get different values accepted under it.
export default mutant({
  mistake: "ballots are not unique across proposers (no node-id tie-break)",
  file: "paxos.ts",
  changes: [
    {
      find: "const ballot = this.#round * this.#cluster.length + this.#rank;",
      replace: "const ballot = this.#round;",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "ballots are unique across proposers and never go down, even across a restart",
  },
});
