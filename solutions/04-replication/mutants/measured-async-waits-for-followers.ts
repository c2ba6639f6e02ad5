import { mutant } from "../../../harness/workbook/mutant.js";

// Asynchronous mode that still waits for every follower: it is synchronous in all but name, and
// the measurement shows no speed-up.
export default mutant({
  mistake:
    "asynchronous mode waits for the followers like synchronous mode (seen in the measurement)",
  file: "single-leader.ts",
  changes: [
    {
      find: `    return 0;\n  }\n\n  #advanceCommit(): void {`,
      replace: `    return this.#followers.length;\n  }\n\n  #advanceCommit(): void {`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "asynchronous replication acknowledges writes faster than synchronous",
  },
});
