import { mutant } from "../../../harness/workbook/mutant.js";

// "Room" means a load below the capacity; at the capacity the server is full.
export default mutant({
  mistake: "a server at capacity still takes one more",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "if ((loads.get(node) ?? 0) < capacity) {",
      replace: "if ((loads.get(node) ?? 0) <= capacity) {",
    },
  ],
  caughtBy: {
    exercise: "bounded-load-ring",
    test: "the busiest server holds at most (1 + ε) times the average",
  },
});
