import { mutant } from "../../../harness/workbook/mutant.js";

// Placing a position by its remainder mod N spreads load perfectly and moves almost everything
// when N changes.
export default mutant({
  mistake: "hash mod N instead of the ring",
  file: "vnode-ring.ts",
  changes: [
    {
      find: "return this.#tokens[this.#successor(position)]!.node;",
      replace:
        "this.#successor(position);\n    return this.nodes[Number(position % BigInt(this.#weights.size))]!;",
    },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "adding an 11th node moves about 1/11 of the ring, all of it onto the new node",
  },
});
