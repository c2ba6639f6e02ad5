import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping the physical reading as it is: every fraction of a millisecond becomes a new
// "millisecond", the counter almost never orders anything, and wallMs is not the whole
// number of milliseconds the type promises.
export default mutant({
  mistake: "wallMs takes the physical reading with its fraction instead of whole milliseconds",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "return Math.floor(this.#readPhysicalMs());",
      replace: "return this.#readPhysicalMs();",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "wallMs is whole milliseconds, even when the physical clock reads a fraction",
  },
});
