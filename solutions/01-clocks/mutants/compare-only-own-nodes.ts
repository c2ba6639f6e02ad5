import { mutant } from "../../../harness/workbook/mutant.js";

// Looping over this clock's own entries misses a node only the other clock has heard of, so
// {a:1} compares "equal" to {a:1, b:1}.
export default mutant({
  mistake: "compare looks only at the nodes this clock has entries for",
  file: "vector-clock.ts",
  changes: [
    {
      find: "for (const node of this.#nodesWith(other)) {",
      replace: "for (const node of Object.keys(this.#entries)) {",
    },
  ],
  caughtBy: { exercise: "vector-clock", test: "compare looks at nodes either clock knows" },
});
