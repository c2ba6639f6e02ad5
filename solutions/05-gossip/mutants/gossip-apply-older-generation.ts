import { mutant } from "../../../harness/workbook/mutant.js";

// A late message from an endpoint's previous life overwrites what it says now.
export default mutant({
  mistake: "a state from an older generation is applied",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    if (remote.heartbeat.generation < local.heartbeat.generation) return;\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "states are applied by generation, then version by version; old and late states are ignored",
  },
});
