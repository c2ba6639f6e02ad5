import { mutant } from "../../../harness/workbook/mutant.js";

// The seeds become coordinators: with both down, nobody talks to anybody.
export default mutant({
  mistake: "gossiping only with the seeds",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    if (up.length > 0) {\n      first = this.#pick(up);",
      replace:
        "    if (up.length > 0 && this.#seeds.some((seed) => up.includes(seed))) {\n      first = this.#pick(up.filter((endpoint) => this.#seeds.includes(endpoint)));",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "no node is special except seeds for joining: with both seeds down, news still spreads",
  },
});
