import { mutant } from "../../../harness/workbook/mutant.js";

// Committing whatever sits on a majority, whatever its term: the figure 8 bug. An entry of an
// earlier term on a majority can still be overwritten by a leader that never had it.
export default mutant({
  mistake: "commits an entry of an earlier term by counting its replicas",
  file: "raft.ts",
  changes: [{ find: "      if (this.#termAt(index) !== this.#currentTerm) break;\n", replace: "" }],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 8: an entry from an earlier term is not committed by counting replicas",
  },
});
