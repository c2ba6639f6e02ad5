import { mutant } from "../../../harness/workbook/mutant.js";

// Dead must be final, or a stale alive in flight resurrects a member everyone has removed.
export default mutant({
  mistake: "alive at a higher incarnation brings a dead member back",
  file: "swim.ts",
  changes: [{ find: '  if (known.state === "dead") return false;\n', replace: "" }],
  caughtBy: {
    exercise: "swim",
    test: "news overrides by incarnation: newer wins, stale and late news is ignored, dead is final",
  },
});
