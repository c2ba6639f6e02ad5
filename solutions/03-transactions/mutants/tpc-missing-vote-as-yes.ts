import { mutant } from "../../../harness/workbook/mutant.js";

// Treating silence as consent: a participant that crashed before preparing never voted, and
// committing without it loses its writes.
export default mutant({
  mistake: "the coordinator treats a vote that does not come as a yes",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '      this.#decide(transaction, "abort");\n    } else if',
      replace: '      this.#decide(transaction, "commit");\n    } else if',
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a missing vote counts as no: the coordinator aborts when a vote does not come in time",
  },
});
