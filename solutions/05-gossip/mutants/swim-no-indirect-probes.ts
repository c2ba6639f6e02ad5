import { mutant } from "../../../harness/workbook/mutant.js";

// One bad link between two members is enough to have them suspect each other.
export default mutant({
  mistake: "no indirect probes: a missed direct ping means suspicion",
  file: "swim.ts",
  changes: [
    {
      find: "    if (probe === undefined || probe.acked) return;",
      replace: "    if (probe !== undefined || probe === undefined) return;",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "a member that misses its direct pings but answers indirect probes is not suspected",
  },
});
