import { mutant } from "../../../harness/workbook/mutant.js";

// Removing the node's first token only, as findIndex and splice do, leaves V − 1 tokens of a
// node that has gone.
export default mutant({
  mistake: "remove takes only one of the node's tokens off the ring",
  file: "vnode-ring.ts",
  changes: [
    {
      find: "this.#tokens = this.#tokens.filter((token) => token.node !== node);",
      replace:
        "const first = this.#tokens.findIndex((token) => token.node === node);\n    if (first !== -1) this.#tokens.splice(first, 1);",
    },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "a node's keys spread over the other nodes when it leaves, not onto one successor",
  },
});
