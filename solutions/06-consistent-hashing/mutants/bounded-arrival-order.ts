import { mutant } from "../../../harness/workbook/mutant.js";

// Who gets the last seat on a nearly full server decides where the others walk to: placing in
// arrival order makes the assignment depend on history that other nodes did not see.
export default mutant({
  mistake: "items placed in the order they arrived instead of by position",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "const order = [...this.#items].sort(",
      replace: "const order = [...this.#items];\n    void [].sort(",
    },
  ],
  caughtBy: {
    exercise: "bounded-load-ring",
    test: "the assignment depends only on the servers and the items, not the order they came in",
  },
});
