import { mutant } from "../../../harness/workbook/mutant.js";

// Truncating at every append: a late, shorter append from the same leader throws away entries the follower already acknowledged, entries that may be committed.
export default mutant({
  mistake: "a follower truncates its log at every append, even when the entries match",
  file: "single-leader.ts",
  changes: [
    {
      find: `      if (existing !== undefined && existing.epoch === entry.epoch) return; // Already have it.`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a follower drops entries that conflict with the new leader's and keeps those that match",
  },
});
