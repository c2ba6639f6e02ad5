import { mutant } from "../../../harness/workbook/mutant.js";

// alive at the suspected incarnation cannot override the suspicion: the refutation is ignored everywhere.
export default mutant({
  mistake: "refuting without raising the incarnation",
  file: "swim.ts",
  changes: [
    {
      find: "this.#incarnation = update.incarnation + 1;",
      replace: "this.#incarnation = update.incarnation;",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "a suspected member refutes with a higher incarnation, once per suspicion",
  },
});
