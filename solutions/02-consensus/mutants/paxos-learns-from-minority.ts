import { mutant } from "../../../harness/workbook/mutant.js";

// Half the cluster, rounded down, is not a majority: with three nodes a single acceptor's vote
// would count as a decision, though the other two can still choose something else.
export default mutant({
  mistake: "a node declares a value chosen once fewer than a majority of acceptors accepted it",
  file: "paxos.ts",
  changes: [
    {
      find: "if (votes.acceptors.size >= this.#majority) {",
      replace: "if (votes.acceptors.size >= Math.floor(this.#cluster.length / 2)) {",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "a node learns a value only after a majority of acceptors accepted it",
  },
});
