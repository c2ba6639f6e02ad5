import { mutant } from "../../../harness/workbook/mutant.js";

// Java keeps the state in a signed long and shifts it with `>>>`; copying the signed type
// without the unsigned shift makes half of all states negative.
export default mutant({
  mistake: "the generator's state kept as a signed 64-bit number",
  file: "jump-hash.ts",
  changes: [
    {
      find: "state = BigInt.asUintN(64, state * multiplier + 1n);",
      replace: "state = BigInt.asIntN(64, state * multiplier + 1n);",
    },
  ],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "a key above 2^63 is an unsigned 64-bit number",
  },
});
