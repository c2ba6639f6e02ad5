import { mutant } from "../../../harness/workbook/mutant.js";

// Sending every key to every new member, instead of only the ranges that changed owner,
// moves the whole cache on each join: all that consistent hashing was meant to avoid.
export default mutant({
  mistake: "moving every key instead of only the changed ranges",
  file: "sharded-cache.ts",
  changes: [{ find: ".filter(([key]) => this.#ring.nodeFor(key) === member)", replace: "" }],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a member of the previous epoch sends each new member exactly the keys that moved to it, until acknowledged",
  },
});
