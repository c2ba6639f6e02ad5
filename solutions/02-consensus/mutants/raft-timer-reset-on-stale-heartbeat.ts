import { mutant } from "../../../harness/workbook/mutant.js";

// Resetting the election timer on every AppendEntries, before checking its term: a deposed
// leader that cannot hear the others keeps them all waiting, and nobody is elected.
export default mutant({
  mistake:
    "resets the election timer on any AppendEntries, even one from a leader of an older term",
  file: "raft.ts",
  changes: [
    {
      find: "  #handleAppendEntries(from: NodeId, request: AppendEntries<Command>): void {\n",
      replace:
        "  #handleAppendEntries(from: NodeId, request: AppendEntries<Command>): void {\n    this.#resetElectionTimer();\n",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "heartbeats from a leader of an old term do not hold off an election",
  },
});
