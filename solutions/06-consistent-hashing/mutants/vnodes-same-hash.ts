import { mutant } from "../../../harness/workbook/mutant.js";

// Hashing the node's name for every one of its tokens stacks all V of them on one spot: the
// node owns one arc of random length, exactly as with no virtual nodes.
export default mutant({
  mistake: "the same hash for every virtual node of a node",
  file: "vnode-ring.ts",
  changes: [{ find: "position: hash64(`${node}#${index}`)", replace: "position: hash64(node)" }],
  caughtBy: {
    exercise: "vnode-ring",
    test: "with 10 nodes of 100 tokens, the busiest node owns less than 1.5 times the average",
  },
});
