import { mutant } from "../../../harness/workbook/mutant.js";

// The follower takes the leader's commit index as it comes: past the entries it holds, or backwards when a late append arrives.
export default mutant({
  mistake: "a follower copies the leader's commit index, even past its own log or backwards",
  file: "single-leader.ts",
  changes: [
    {
      find: `    this.#commitIndex = Math.max(this.#commitIndex, Math.min(message.commitIndex, matchIndex));`,
      replace: `    this.#commitIndex = message.commitIndex;`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a follower's commit index never goes backwards and never passes what it holds",
  },
});
