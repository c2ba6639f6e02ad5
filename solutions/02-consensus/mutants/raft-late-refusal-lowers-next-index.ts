import { mutant } from "../../../harness/workbook/mutant.js";

// Late refusals make the leader resend entries the follower already acknowledged, round after round.
export default mutant({
  mistake: "a late refusal moves nextIndex below what a success proved",
  file: "raft.ts",
  changes: [
    {
      find: "    nextIndex = Math.max(matchIndex + 1, Math.min(nextIndex, this.#nextIndex.get(from)!));",
      replace: "    nextIndex = Math.min(nextIndex, this.#nextIndex.get(from)!);",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, rules for leaders: on a refusal nextIndex backs up and the leader retries, but never below what a success proved",
  },
});
