import { mutant } from "../../../harness/workbook/mutant.js";

// Adding the entries counts every event both clocks know about twice: merging a clock with
// itself would double it.
export default mutant({
  mistake: "merge adds the two entries instead of taking the larger",
  file: "vector-clock.ts",
  changes: [
    {
      find: "Math.max(this.get(node), other.get(node))",
      replace: "this.get(node) + other.get(node)",
    },
  ],
  caughtBy: { exercise: "vector-clock", test: "merge takes the larger entry for each node" },
});
