import { mutant } from "../../../harness/workbook/mutant.js";

// A fixed partner repairs nothing when that partner is down or cut off, and spreads repairs slowly.
export default mutant({
  mistake: "anti-entropy always with the same peer",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: "const peer = peers[this.#context.randomInt(0, peers.length - 1)]!;",
      replace: "const peer = peers[0]!;",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "anti-entropy picks a random peer each round, never itself, about twice a second",
  },
});
