import { mutant } from "../../../harness/workbook/mutant.js";

// Appending tokens in the order nodes join, without sorting, makes the binary search's answer
// depend on that order: two nodes with the same members disagree about who owns a key.
export default mutant({
  mistake: "tokens kept in join order instead of sorted by position",
  file: "hash-ring.ts",
  changes: [{ find: "this.#tokens.sort(byPosition);", replace: "" }],
  caughtBy: {
    exercise: "hash-ring",
    test: "the same membership gives the same ring on every node, whatever the order of joins",
  },
});
