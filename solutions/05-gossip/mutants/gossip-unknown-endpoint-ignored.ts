import { mutant } from "../../../harness/workbook/mutant.js";

// A node then learns of a new endpoint only if someone happens to push it, never by asking.
export default mutant({
  mistake: "a digest of an unknown endpoint is ignored instead of requested",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    if (local === undefined) return requestAll();",
      replace: "    if (local === undefined) return;",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "an unknown endpoint: its whole state is asked for",
  },
});
