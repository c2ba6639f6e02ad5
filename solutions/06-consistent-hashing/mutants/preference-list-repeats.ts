import { mutant } from "../../../harness/workbook/mutant.js";

// The next R tokens are not R machines: a node's tokens are often neighbours, and two replicas
// on one machine are lost together.
export default mutant({
  mistake: "a preference list of the next R tokens, with repeats",
  file: "vnode-ring.ts",
  changes: [
    { find: "if (!chosen.includes(node)) chosen.push(node);", replace: "chosen.push(node);" },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "the preference list never names a node twice, even where one node's tokens are neighbours",
  },
});
