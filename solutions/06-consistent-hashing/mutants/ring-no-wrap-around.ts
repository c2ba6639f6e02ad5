import { mutant } from "../../../harness/workbook/mutant.js";

// Past the largest token there is no "next" in the array, and clamping to the last token gives
// the keys between the largest token and the top of the ring to the wrong node.
export default mutant({
  mistake: "no wrap-around: a position past the largest token goes to the largest",
  file: "hash-ring.ts",
  changes: [
    {
      find: "this.#tokens[index === this.#tokens.length ? 0 : index]!",
      replace: "this.#tokens[Math.min(index, this.#tokens.length - 1)]!",
    },
  ],
  caughtBy: {
    exercise: "hash-ring",
    test: "a position past the largest token wraps around to the smallest",
  },
});
