import { mutant } from "../../../harness/workbook/mutant.js";

// Remove by element: once removed, an element never comes back, not even when added again, and a concurrent add loses to the remove.
export default mutant({
  mistake: "an OR-set removes an element for good, not just the adds the remove has seen",
  file: "crdts.ts",
  changes: [
    {
      find: `        this.#added.filter((add) => !this.#removed.has(add.tag)).map((add) => add.element),`,
      replace: `        this.#added\n          .filter(\n            (add) =>\n              !this.#added.some((other) => other.element === add.element && this.#removed.has(other.tag)),\n          )\n          .map((add) => add.element),`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "an OR-set: a concurrent add wins over a remove, and a removed element comes back only when added again",
  },
});
