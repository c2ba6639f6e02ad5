import { mutant } from "../../../harness/workbook/mutant.js";

// The leader answers as soon as the write is in its own log, as asynchronous replication does: a crash right after the answer loses a write the client was told is safe.
export default mutant({
  mistake: "in synchronous mode the primary replies before the backups have the write",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (this.#mode === "synchronous") return this.#followers.length;`,
      replace: `    if (this.#mode === "synchronous") return 0;`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "synchronous: the leader acknowledges a write only once every follower holds it",
  },
});
