import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping currentTerm only in memory: a restarted node is back in term 0, forgets the terms it
// has seen, and can vote again in a term it already voted in.
export default mutant({
  mistake: "does not write currentTerm to storage, so a restart forgets it",
  file: "raft.ts",
  changes: [{ find: "this.#context.storage.set(currentTermKey, this.#currentTerm);", replace: "" }],
  caughtBy: {
    exercise: "raft-election",
    test: "a node's term never decreases, even across restarts",
  },
});
