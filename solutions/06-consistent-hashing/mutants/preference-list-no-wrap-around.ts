import { mutant } from "../../../harness/workbook/mutant.js";

// A walk that stops at the end of the array gives keys near the top of the ring fewer
// replicas than asked for.
export default mutant({
  mistake: "the preference list stops at the largest token instead of wrapping around",
  file: "vnode-ring.ts",
  changes: [
    {
      find: "for (let step = 0; step < this.#tokens.length && chosen.length < wanted; step++) {",
      replace:
        "for (let step = 0; start + step < this.#tokens.length && chosen.length < wanted; step++) {",
    },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "the preference list starts at the key's owner and names R distinct nodes clockwise",
  },
});
