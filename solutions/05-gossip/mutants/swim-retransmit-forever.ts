import { mutant } from "../../../harness/workbook/mutant.js";

// Messages grow with every change the group has ever seen.
export default mutant({
  mistake: "piggybacking every update for ever",
  file: "swim.ts",
  changes: [
    {
      find: "      if (entry.sends >= limit) this.#outbox.delete(entry.update.member);\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "an update is passed on a bounded number of times, then dropped",
  },
});
