import { mutant } from "../../../harness/workbook/mutant.js";

// A late suspicion from before a refutation brings the suspicion back.
export default mutant({
  mistake: "a suspicion overrides alive whatever its incarnation",
  file: "swim.ts",
  changes: [{ find: "? update.incarnation >= known.incarnation", replace: "? true" }],
  caughtBy: {
    exercise: "swim",
    test: "news overrides by incarnation: newer wins, stale and late news is ignored, dead is final",
  },
});
