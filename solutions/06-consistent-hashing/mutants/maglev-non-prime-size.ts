import { mutant } from "../../../harness/workbook/mutant.js";

// With a size that is not prime, a skip that shares a factor with it visits only some entries:
// a backend whose preferences are all taken spins for ever.
export default mutant({
  mistake: "a Maglev table of non-prime size is accepted",
  file: "maglev-table.ts",
  changes: [
    { find: "if (!isPrime(size))", replace: "if (!Number.isSafeInteger(size) || size < 2)" },
  ],
  caughtBy: { exercise: "stateless-hashing", test: "a table size that is not prime is refused" },
});
