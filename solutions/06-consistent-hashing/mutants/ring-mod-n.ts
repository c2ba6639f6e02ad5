import { mutant } from "../../../harness/workbook/mutant.js";

// hash mod N spreads keys evenly, but when N changes almost every key gets a new remainder.
export default mutant({
  mistake: "hash mod N instead of the ring",
  file: "hash-ring.ts",
  changes: [
    {
      find: "return this.ownerOf(hash64(key));",
      replace: "return this.nodes[Number(hash64(key) % BigInt(this.#tokens.length))]!;",
    },
  ],
  caughtBy: { exercise: "hash-ring", test: "adding a node moves keys only onto the new node" },
});
