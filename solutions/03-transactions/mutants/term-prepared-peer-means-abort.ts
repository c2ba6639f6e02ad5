import { mutant } from "../../../harness/workbook/mutant.js";

// Reading "prepared" from a peer as a reason to abort: every peer may be prepared because the
// coordinator has decided commit, and told nobody yet.
export default mutant({
  mistake: "an in-doubt participant aborts when a peer answers that it is prepared too",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    if (this.#options.termination !== true || answer === "prepared") return;',
      replace: "    if (this.#options.termination !== true) return;",
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "an in-doubt participant never decides from silence or from peers that are in doubt too",
  },
});
