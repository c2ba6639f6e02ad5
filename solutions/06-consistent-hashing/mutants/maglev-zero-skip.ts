import { mutant } from "../../../harness/workbook/mutant.js";

// skip = h mod M can be 0, and a backend whose skip is 0 prefers one entry over and over.
export default mutant({
  mistake: "a Maglev skip that can be zero (h mod M instead of h mod (M − 1) + 1)",
  file: "maglev-table.ts",
  changes: [
    {
      find: "Number(hash64(name, 1n) % BigInt(size - 1)) + 1",
      replace: "Number(hash64(name, 1n) % BigInt(size))",
    },
  ],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "every backend's permutation visits every entry, so tables of small prime size always fill",
  },
});
