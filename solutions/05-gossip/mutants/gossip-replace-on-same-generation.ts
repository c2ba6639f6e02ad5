import { mutant } from "../../../harness/workbook/mutant.js";

// A delta holds only what changed: taking it whole forgets every application state it did not mention.
export default mutant({
  mistake: "a delta of the same generation replaces the whole state",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    if (local === undefined || remote.heartbeat.generation > local.heartbeat.generation) {",
      replace:
        "    if (local === undefined || remote.heartbeat.generation >= local.heartbeat.generation) {",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "states are applied by generation, then version by version; old and late states are ignored",
  },
});
