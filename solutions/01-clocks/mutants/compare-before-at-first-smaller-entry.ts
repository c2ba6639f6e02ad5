import { mutant } from "../../../harness/workbook/mutant.js";

// Deciding "before" at the first smaller entry, without looking at the rest, calls concurrent
// clocks ordered: {a:2, b:1} and {a:1, b:2} each know something the other does not.
export default mutant({
  mistake: 'compare answers "before" as soon as one entry is smaller, missing concurrency',
  file: "vector-clock.ts",
  changes: [
    {
      find: "if (mine < theirs) someSmaller = true;",
      replace: 'if (mine < theirs) return "before";',
    },
  ],
  caughtBy: {
    exercise: "vector-clock",
    test: "clocks with some entries larger and some smaller are concurrent",
  },
});
