import { mutant } from "../../../harness/workbook/mutant.js";

// Taking the physical clock as it reads, without the max against the latest timestamp, is a
// wall-clock timestamp with a counter attached: when NTP steps the clock back, so does it.
export default mutant({
  mistake: "now() uses the raw physical time instead of the larger of it and the latest wallMs",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "const wallMs = Math.max(previous.wallMs, physicalMs);",
      replace: "const wallMs = physicalMs;",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "timestamps never go backwards, even when the physical clock jumps back",
  },
});
