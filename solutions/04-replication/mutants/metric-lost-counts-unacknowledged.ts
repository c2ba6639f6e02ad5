import { mutant } from "../../../harness/workbook/mutant.js";

// A write the client never heard back about was never promised: missing after a crash, it is not lost.
export default mutant({
  mistake: "every write missing from the survivors counted as lost, acknowledged or not",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "return requests.filter((request) => isAcknowledgedWrite(request) && !survives(request)).length;",
      replace: `return requests.filter((request) => request.kind === "write" && !survives(request)).length;`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "an acknowledged write is lost when no survivor holds it; a write never acknowledged is not",
  },
});
