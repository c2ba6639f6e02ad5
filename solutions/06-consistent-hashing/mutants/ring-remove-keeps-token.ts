import { mutant } from "../../../harness/workbook/mutant.js";

// Forgetting the member without taking its token off the ring leaves keys on a node that is
// gone.
export default mutant({
  mistake: "remove takes the node out of the list of nodes but leaves its token on the ring",
  file: "hash-ring.ts",
  changes: [
    {
      find: "this.#tokens = this.#tokens.filter((token) => token.node !== node);",
      replace: "this.#removed.add(node);\n    this.#tokens = this.#tokens.filter(() => true);",
    },
    {
      find: "#tokens: Token[] = [];",
      replace: "#tokens: Token[] = [];\n  #removed = new Set<string>();",
    },
    {
      find: "return this.#tokens.map((token) => token.node).sort();",
      replace:
        "return this.#tokens\n      .map((token) => token.node)\n      .filter((node) => !this.#removed.has(node))\n      .sort();",
    },
  ],
  caughtBy: { exercise: "hash-ring", test: "removing a node moves only its keys" },
});
