import { mutant } from "../../../harness/workbook/mutant.js";

// The generator's state is 64 bits; in a number the product keeps only its top 53 bits, so
// every jump after the first lands somewhere else.
export default mutant({
  mistake: "64-bit values in Numbers: the generator's state computed as a number",
  file: "jump-hash.ts",
  changes: [
    {
      find: "state = BigInt.asUintN(64, state * multiplier + 1n);",
      replace: "state = BigInt.asUintN(64, BigInt(Number(state) * Number(multiplier) + 1));",
    },
  ],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "jumpHash matches the published values of Guava and ClickHouse",
  },
});
