import { mutant } from "../../../harness/workbook/mutant.js";

// No lease: a leader cut off from the configuration service keeps acknowledging writes and answering reads after another replica has been named leader. Split brain.
export default mutant({
  mistake: "a leader keeps serving after its lease has run out",
  file: "single-leader.ts",
  changes: [
    {
      find: `      this.#context.monotonicNow() < this.#leaseUntilMs &&`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a leader serves only while its lease holds",
  },
});
