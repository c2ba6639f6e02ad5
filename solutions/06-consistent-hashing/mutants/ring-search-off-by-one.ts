import { mutant } from "../../../harness/workbook/mutant.js";

// Searching for the first token strictly after the position hands a key that hashes exactly
// onto a token to the next node: the rule is "at or after".
export default mutant({
  mistake: "an off-by-one in the search: the first token strictly after the position",
  file: "hash-ring.ts",
  changes: [
    {
      find: "if (this.#tokens[middle]!.position < position) low = middle + 1;",
      replace: "if (this.#tokens[middle]!.position <= position) low = middle + 1;",
    },
  ],
  caughtBy: {
    exercise: "hash-ring",
    test: "a position exactly at a token belongs to that token's node",
  },
});
