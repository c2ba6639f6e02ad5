import { mutant } from "../../../harness/workbook/mutant.js";

// phi is 0 before the first heartbeat, so a detector that is never fed never marks anyone down.
export default mutant({
  mistake: "heartbeats never reported to the failure detector",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    this.#detectors.get(endpoint)!.heartbeat(this.#context.monotonicNow());\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "each node marks a crashed peer down on its own, and up again when it restarts",
  },
});
