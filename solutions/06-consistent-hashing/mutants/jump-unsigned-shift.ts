import { mutant } from "../../../harness/workbook/mutant.js";

// Java's `>>>` is the paper's unsigned shift, but BigInt has no `>>>`: it throws a TypeError.
// On a bigint that is never negative, `>>` is the unsigned shift.
export default mutant({
  mistake: "`>>>` on a BigInt",
  file: "jump-hash.ts",
  changes: [{ find: "Number(state >> 33n)", replace: "Number(state >>> 33n)" }],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "jumpHash matches the published values of Guava and ClickHouse",
  },
});
