import { mutant } from "../../../harness/workbook/mutant.js";

// Synchronous mode that answers as soon as the write is in the leader's log: the measurement's
// synchronous row then loses writes at the crash, as the asynchronous row does.
export default mutant({
  mistake:
    "synchronous mode acknowledges writes the followers do not hold yet (seen in the measurement)",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (this.#mode === "synchronous") return this.#followers.length;`,
      replace: `    if (this.#mode === "synchronous") return 0;`,
    },
  ],
  caughtBy: {
    exercise: "replication-measurement",
    test: "synchronous replication loses no acknowledged write when the leader crashes for good",
  },
});
