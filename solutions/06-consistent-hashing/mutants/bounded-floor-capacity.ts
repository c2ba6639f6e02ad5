import { mutant } from "../../../harness/workbook/mutant.js";

// n servers of ⌊(1 + ε)m/n⌋ can have room for fewer than m items: the last ones find no place.
export default mutant({
  mistake: "floor instead of ceiling for the capacity",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "return Math.ceil(((1 + this.#epsilon) * this.#items.size) / servers);",
      replace: "return Math.floor(((1 + this.#epsilon) * this.#items.size) / servers);",
    },
  ],
  caughtBy: { exercise: "bounded-load-ring", test: "the capacity is ⌈(1 + ε)·m/n⌉, rounded up" },
});
