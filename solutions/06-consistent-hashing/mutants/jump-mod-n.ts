import { mutant } from "../../../harness/workbook/mutant.js";

// key mod n spreads keys evenly over the buckets, and moves almost all of them when n grows.
export default mutant({
  mistake: "mod N instead of jumping",
  file: "jump-hash.ts",
  changes: [
    {
      find: "  let state = key;",
      replace: "  return Number(key % BigInt(buckets));\n  let state = key;",
    },
  ],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "going from n to n + 1 buckets moves about 1/(n + 1) of the keys, all to the new bucket",
  },
});
