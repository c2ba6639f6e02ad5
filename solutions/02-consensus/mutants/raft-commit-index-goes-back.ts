import { mutant } from "../../../harness/workbook/mutant.js";

// commitIndex only grows: a late request that lowers it makes the node apply entries again.
export default mutant({
  mistake: "a late AppendEntries with a lower leaderCommit lowers commitIndex",
  file: "raft.ts",
  changes: [
    {
      find: "    if (commitIndex > this.#commitIndex) {\n      this.#commitIndex = commitIndex;",
      replace: "    this.#commitIndex = commitIndex;\n    if (commitIndex > this.#lastApplied) {",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, state: commitIndex never decreases, even for a late AppendEntries with a lower leaderCommit",
  },
});
