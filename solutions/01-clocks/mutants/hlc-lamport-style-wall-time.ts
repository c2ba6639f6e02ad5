import { mutant } from "../../../harness/workbook/mutant.js";

// Advancing wallMs by one per event, as a Lamport clock advances its counter, makes every
// busy millisecond push the clock further ahead of physical time, without limit.
export default mutant({
  mistake: "now() increments wallMs like a Lamport clock instead of the logical counter",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "const wallMs = Math.max(previous.wallMs, physicalMs);",
      replace: "const wallMs = Math.max(previous.wallMs + 1, physicalMs);",
    },
    {
      find: "const logical = wallMs === previous.wallMs ? previous.logical + 1 : 0;",
      replace: "const logical = 0;",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "timestamps stay within the clock skew of physical time",
  },
});
