import { mutant } from "../../../harness/workbook/mutant.js";

// The network duplicates messages: one voter's reply, delivered twice, passes for two votes.
export default mutant({
  mistake: "counts vote replies instead of distinct voters",
  file: "raft.ts",
  changes: [
    {
      find: "    this.#votesReceived.add(from);",
      replace: "    this.#votesReceived.add(`${from}#${this.#votesReceived.size}`);",
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for candidates: votes from a majority of distinct servers make it leader",
  },
});
