import { mutant } from "../../../harness/workbook/mutant.js";

// The epoch lives only in a field: after a restart the replica is back at epoch 0 and takes appends from a leader deposed long ago.
export default mutant({
  mistake: "the epoch is kept only in memory, so a restarted replica forgets it",
  file: "single-leader.ts",
  changes: [
    {
      find: `    this.#context.storage.set("epoch", epoch);`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a replica keeps its epoch and log across a crash and restart",
  },
});
