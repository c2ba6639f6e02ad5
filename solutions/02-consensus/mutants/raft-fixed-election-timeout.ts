import { mutant } from "../../../harness/workbook/mutant.js";

// The same election timeout on every node and every time: nodes that start together all stand
// at once, each votes for itself, and the vote splits again in every term.
export default mutant({
  mistake: "uses a fixed election timeout instead of a random one",
  file: "raft.ts",
  changes: [
    {
      find: 'this.#context.setTimer("election", this.#context.randomInt(min, max));',
      replace: 'this.#context.setTimer("election", min + 0 * max);',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "nodes started together still elect a leader: election timeouts are randomized",
  },
});
