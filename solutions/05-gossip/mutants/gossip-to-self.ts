import { mutant } from "../../../harness/workbook/mutant.js";

// A syn to yourself is a round wasted, and with few known endpoints it is often the only one.
export default mutant({
  mistake: "a gossip round may pick the node itself",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    const known = [...this.#states.keys()].filter((endpoint) => endpoint !== self);",
      replace: "    const known = [...this.#states.keys()];",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "views converge within O(log N) rounds, gossiping with random peers, never with yourself",
  },
});
