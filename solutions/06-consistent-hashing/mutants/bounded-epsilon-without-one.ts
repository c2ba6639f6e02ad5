import { mutant } from "../../../harness/workbook/mutant.js";

// ε is the allowance above the average, not the capacity's factor: ε·m/n is a fraction of it.
export default mutant({
  mistake: "capacity ⌈ε·m/n⌉ instead of ⌈(1 + ε)·m/n⌉",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "return Math.ceil(((1 + this.#epsilon) * this.#items.size) / servers);",
      replace: "return Math.ceil((this.#epsilon * this.#items.size) / servers);",
    },
  ],
  caughtBy: { exercise: "bounded-load-ring", test: "the capacity is ⌈(1 + ε)·m/n⌉, rounded up" },
});
