import { mutant } from "../../../harness/workbook/mutant.js";

// Correct but wasteful: each exchange carries everything, and grows with the cluster's state, not its changes.
export default mutant({
  mistake: "answering every digest with the whole state",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "states[digest.endpoint] = deltaAbove(local, digest.maxVersion)!;",
      replace: "states[digest.endpoint] = cloneState(local);",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "an application-state change reaches everyone, carried as a delta",
  },
});
