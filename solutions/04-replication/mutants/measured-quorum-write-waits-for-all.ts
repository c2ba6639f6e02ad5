import { mutant } from "../../../harness/workbook/mutant.js";

// A leaderless write that waits for all N replicas instead of W: one replica cut off and no
// write succeeds, which the measurement's availability column shows.
export default mutant({
  mistake: "a leaderless write waits for all N replicas instead of W (seen in the measurement)",
  file: "leaderless.ts",
  changes: [
    {
      find: `    if (pending.done || pending.acked.size < this.#options.w) return;`,
      replace: `    if (pending.done || pending.acked.size < this.#options.n) return;`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "leaderless quorums stay available through a minority partition; single-leader failover does not",
  },
});
