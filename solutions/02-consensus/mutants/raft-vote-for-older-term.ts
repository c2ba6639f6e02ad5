import { mutant } from "../../../harness/workbook/mutant.js";

// Without the term check a node hands its vote for the current term to a candidate of an old one.
export default mutant({
  mistake: "grants a vote to a candidate of an older term",
  file: "raft.ts",
  changes: [{ find: "      request.term === this.#currentTerm &&\n", replace: "" }],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, RequestVote receiver rule 1: a vote request from an older term is refused",
  },
});
