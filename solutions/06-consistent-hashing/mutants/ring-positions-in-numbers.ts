import { mutant } from "../../../harness/workbook/mutant.js";

// A number holds integers exactly only up to 2^53; a 64-bit position in one loses its low 11
// bits, so a position just past a token compares as equal to it.
export default mutant({
  mistake: "64-bit positions compared as Numbers",
  file: "hash-ring.ts",
  changes: [
    {
      find: "if (this.#tokens[middle]!.position < position) low = middle + 1;",
      replace: "if (Number(this.#tokens[middle]!.position) < Number(position)) low = middle + 1;",
    },
  ],
  caughtBy: {
    exercise: "hash-ring",
    test: "a position one past a token belongs to the next token's node",
  },
});
