import { mutant } from "../../../harness/workbook/mutant.js";

// Taking the max but not adding one: the receipt shares the send's timestamp, so it no longer
// comes strictly after the send it depends on.
export default mutant({
  mistake: "receive takes the larger of the two times without adding one",
  file: "lamport-clock.ts",
  changes: [
    {
      find: "    this.#time = Math.max(this.#time, timestamp) + 1;",
      replace: "    this.#time = Math.max(this.#time, timestamp);",
    },
  ],
  caughtBy: {
    exercise: "lamport-clock",
    test: "a receive moves the clock past the timestamp it received",
  },
});
