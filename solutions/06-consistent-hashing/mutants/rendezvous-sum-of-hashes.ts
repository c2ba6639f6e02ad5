import { mutant } from "../../../harness/workbook/mutant.js";

// Adding two hashes is not hashing the pair: hash(key) is the same for every node, so the node
// with the largest hash of its own name wins every key.
export default mutant({
  mistake: "rendezvous as h(key) + h(node) instead of hashing the pair",
  file: "rendezvous-hash.ts",
  changes: [
    { find: "return hash64(key, hash64(node));", replace: "return hash64(key) + hash64(node);" },
  ],
  caughtBy: { exercise: "stateless-hashing", test: "keys spread evenly over the nodes" },
});
