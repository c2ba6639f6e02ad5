import { mutant } from "../../../harness/workbook/mutant.js";

// No check that prevIndex is within the log: entries land after a gap and the log no longer matches the leader's.
export default mutant({
  mistake: "a follower appends entries after a gap in its log",
  file: "single-leader.ts",
  changes: [
    {
      find: `      prevIndex > this.#log.length ||`,
      replace: `      false ||`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a follower never leaves a gap: an append that does not fit after its log is refused",
  },
});
