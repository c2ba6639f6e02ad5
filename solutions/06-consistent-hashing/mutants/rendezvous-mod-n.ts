import { mutant } from "../../../harness/workbook/mutant.js";

// Choosing nodes[hash mod n] ignores the scores: removing any node shifts most keys.
export default mutant({
  mistake: "mod N over the list of nodes instead of the highest score",
  file: "rendezvous-hash.ts",
  changes: [
    {
      find: "  let best = nodes[0]!;",
      replace:
        "  return [...nodes].sort()[Number(hash64(key) % BigInt(nodes.length))]!;\n  let best = nodes[0]!;",
    },
  ],
  caughtBy: { exercise: "stateless-hashing", test: "removing a node moves only its keys" },
});
