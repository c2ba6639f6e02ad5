import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping votedFor only in memory: a node that votes, crashes and restarts within one term
// votes again, and two candidates can win the same term.
export default mutant({
  mistake: "does not write votedFor to storage, so a restarted node can vote twice in a term",
  file: "raft.ts",
  changes: [
    { find: "this.#context.storage.set(votedForKey, this.#votedFor ?? null);", replace: "" },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "a restarted node remembers its vote and cannot vote twice in a term",
  },
});
