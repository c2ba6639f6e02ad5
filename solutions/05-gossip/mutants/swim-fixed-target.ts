import { mutant } from "../../../harness/workbook/mutant.js";

// A member nobody probes is never suspected when it crashes.
export default mutant({
  mistake: "probing the same member every period",
  file: "swim.ts",
  changes: [
    {
      find: "this.#order = this.#shuffled(this.#liveMembers());",
      replace: "this.#order = this.#liveMembers().slice(0, 1);",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "a crashed member is declared dead by every live member within the bound",
  },
});
