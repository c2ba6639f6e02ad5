import { mutant } from "../../../harness/workbook/mutant.js";

// What array.sort() does without a comparator: bigints are compared as decimal text, so
// 10000000000000000000 sorts before 9000000000000000000 and the binary search goes astray.
export default mutant({
  mistake: "tokens compared as strings",
  file: "hash-ring.ts",
  changes: [
    { find: "this.#tokens.sort(byPosition);", replace: "this.#tokens.sort(byText);" },
    {
      find: "function byPosition(",
      replace:
        "function byText(left: Token, right: Token): number {\n  return String(left.position) < String(right.position) ? -1 : 1;\n}\n\nfunction byPosition(",
    },
  ],
  caughtBy: {
    exercise: "hash-ring",
    test: "a position belongs to the node of the first token at or after it",
  },
});
