import { mutant } from "../../../harness/workbook/mutant.js";

// Without the walk, this is the plain ring with a capacity nobody enforces.
export default mutant({
  mistake: "items stay on their ring owner even when it is full",
  file: "bounded-load-ring.ts",
  changes: [
    { find: "if ((loads.get(node) ?? 0) < capacity) {", replace: "if (node !== undefined) {" },
  ],
  caughtBy: {
    exercise: "bounded-load-ring",
    test: "no server ever exceeds its capacity, through joins, leaves and departures of items",
  },
});
