import { mutant } from "../../../harness/workbook/mutant.js";

// Running the operation on the leader's map as soon as it is proposed, and letting the log
// only carry it to the followers: a leader that loses its term keeps writes that were never
// committed, and its map no longer matches the log everyone else applied.
export default mutant({
  mistake:
    "the leader applies a command to its map when it proposes it, before the entry is committed",
  file: "raft-kv.ts",
  changes: [
    {
      find: "    this.#waiting.set(proposed.index, { clientId, sequence, term: proposed.term });",
      replace: `    this.#sessions.set(clientId, { sequence, value: this.#execute(operation) });
    this.#waiting.set(proposed.index, { clientId, sequence, term: proposed.term });`,
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "the minority side of a partition answers nothing, the majority side keeps serving, and all agree once it heals",
  },
});
