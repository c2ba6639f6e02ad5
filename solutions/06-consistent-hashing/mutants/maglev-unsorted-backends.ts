import { mutant } from "../../../harness/workbook/mutant.js";

// The turn order decides who wins contested entries: taken from the caller's list, two
// machines that list the same backends differently build different tables.
export default mutant({
  mistake: "Maglev backends take turns in the order given, not sorted",
  file: "maglev-table.ts",
  changes: [
    { find: "const sorted = [...backends].sort();", replace: "const sorted = [...backends];" },
  ],
  caughtBy: {
    exercise: "stateless-hashing",
    test: "the table depends only on the set of backends, not their order",
  },
});
