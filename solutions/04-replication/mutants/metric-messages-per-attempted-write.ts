import { mutant } from "../../../harness/workbook/mutant.js";

// Writes that failed cost messages but did no work: dividing by them makes a failing system look cheap.
export default mutant({
  mistake: "messages per write divided by the writes attempted instead of those acknowledged",
  file: "replication-metrics.ts",
  changes: [
    {
      find: "const writes = requests.filter(isAcknowledgedWrite).length;",
      replace: `const writes = requests.filter((request) => request.kind === "write").length;`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "messages per write divide every message by the writes acknowledged",
  },
});
